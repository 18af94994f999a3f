// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "./Vm.sol";

/// @notice forge's `StdInvariant.FuzzSelector`: the invariant fuzzer calls only these selectors of `addr`.
struct FuzzSelector {
    address addr;
    bytes4[] selectors;
}

/// @notice The part of forge-std's StdInvariant that Hardhat's EDR reads: it calls `targetContracts()` and
///         `targetSelectors()` on the test contract to pick what the random call sequences may call.
abstract contract InvariantTest is Test {
    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetedSelectors.push(selector);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title OPEN
/// @notice The OpenLedger token on L1. The whole supply is minted once, to `holder`, at deployment; there is no
///         owner and no mint function afterwards. On the L2 it exists as the standard bridge's
///         OptimismMintableERC20 with this contract as the remote token.
/// @dev EIP-2612 permit with an EIP-712 domain bound to the chain id (OpenZeppelin's ERC20Permit rebuilds the
///      domain separator if the chain id changes after a fork).
contract OpenToken is ERC20, ERC20Permit {
    uint256 public constant TOTAL_SUPPLY = 1_000_000_000 * 10 ** 18;

    constructor(address holder) ERC20("OpenLedger", "OPEN") ERC20Permit("OpenLedger") {
        _mint(holder, TOTAL_SUPPLY);
    }
}

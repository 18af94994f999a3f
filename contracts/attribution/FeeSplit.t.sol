// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "../test/Vm.sol";
import {FeeSplit} from "./FeeSplit.sol";

contract FeeSplitHarness {
    function split(uint256 fee, uint256 o, uint256 c, uint256 p) external pure returns (uint256, uint256, uint256) {
        return FeeSplit.split(fee, o, c, p);
    }
}

contract FeeSplitTest is Test {
    FeeSplitHarness internal h = new FeeSplitHarness();

    /// @dev The engine's algorithm (packages/attribution-engine largestRemainder) over the order
    ///      [contributors, owner, protocol]: floors, then one unit each to the largest remainders, ties to the
    ///      lower index. Returns (owner, contributors, protocol) like FeeSplit.
    function _reference(uint256 fee, uint256 o, uint256 c, uint256 p) internal pure returns (uint256, uint256, uint256) {
        uint256[3] memory bps = [c, o, p];
        uint256[3] memory parts;
        uint256[3] memory rem;
        uint256 sum;
        for (uint256 i = 0; i < 3; ++i) {
            parts[i] = (fee * bps[i]) / 10_000;
            rem[i] = (fee * bps[i]) % 10_000;
            sum += parts[i];
        }
        uint256 left = fee - sum;
        bool[3] memory given;
        for (; left > 0; --left) {
            uint256 best = 3;
            for (uint256 i = 0; i < 3; ++i) {
                if (!given[i] && (best == 3 || rem[i] > rem[best])) best = i;
            }
            given[best] = true;
            parts[best] += 1;
        }
        return (parts[1], parts[0], parts[2]);
    }

    function test_DefaultSplitOfARoundFee() public view {
        (uint256 o, uint256 c, uint256 p) = h.split(1e18, 3_000, 5_000, 2_000);
        assertEq(c, 0.5e18, "contributors 50%");
        assertEq(o, 0.3e18, "owner 30%");
        assertEq(p, 0.2e18, "protocol 20%");
    }

    function test_OneWeiLeftoverGoesToTheLargestRemainder() public view {
        // fee 7: exact 2.1 / 3.5 / 1.4 -> floors 2 / 3 / 1, remainders 1,000 / 5,000 / 4,000 -> contributors + 1.
        (uint256 o, uint256 c, uint256 p) = h.split(7, 3_000, 5_000, 2_000);
        assertEq(o, 2, "owner");
        assertEq(c, 4, "contributors");
        assertEq(p, 1, "protocol");
    }

    function test_TwoWeiLeftoverSkipsTheSmallestRemainder() public view {
        // fee 1, 3,334 / 3,333 / 3,333 bps: all floors 0, remainders 3,334 / 3,333 / 3,333 -> the two units go to
        // owner (largest) and contributors (ties: contributors before protocol).
        (uint256 o, uint256 c, uint256 p) = h.split(1, 3_334, 3_333, 3_333);
        assertEq(o + c + p, 1, "sum");
        (o, c, p) = h.split(2, 3_334, 3_333, 3_333);
        assertEq(o, 1, "owner");
        assertEq(c, 1, "contributors");
        assertEq(p, 0, "protocol loses the tie");
    }

    function test_TiesFollowContributorsOwnerProtocol() public view {
        // fee 1 split 1/3 each -> remainders equal; one unit -> contributors.
        (uint256 o, uint256 c, uint256 p) = h.split(1, 3_333, 3_334, 3_333);
        assertEq(c, 1, "contributors first");
        (o, c, p) = h.split(1, 5_000, 5_000, 0);
        assertEq(c, 1, "contributors win a 5,000 / 5,000 tie");
        assertEq(o + p, 0, "others");
    }

    function test_BpsMustSumTo10000() public {
        vm.expectRevert(FeeSplit.SplitBpsSum.selector);
        h.split(100, 3_000, 5_000, 1_999);
    }

    /// @notice Parts sum exactly to the fee, each is within 1 wei of fee × bps / 10,000, and the result matches the
    ///         engine's sort-based largest-remainder reference to the wei.
    /// hardhat-config: fuzz.runs = 5000
    function testFuzz_SplitSumsExactlyAndMatchesReference(uint256 fee, uint16 oBps, uint16 pBps) public view {
        fee = bound(fee, 0, type(uint96).max);
        uint256 o = bound(oBps, 0, 10_000);
        uint256 p = bound(pBps, 0, 10_000 - o);
        uint256 c = 10_000 - o - p;
        (uint256 owner, uint256 contributors, uint256 protocol) = h.split(fee, o, c, p);
        assertEq(owner + contributors + protocol, fee, "sum = fee");
        assertLe(owner - (fee * o) / 10_000, 1, "owner within 1 wei");
        assertLe(contributors - (fee * c) / 10_000, 1, "contributors within 1 wei");
        assertLe(protocol - (fee * p) / 10_000, 1, "protocol within 1 wei");
        (uint256 ro, uint256 rc, uint256 rp) = _reference(fee, o, c, p);
        assertEq(owner, ro, "owner = reference");
        assertEq(contributors, rc, "contributors = reference");
        assertEq(protocol, rp, "protocol = reference");
    }

    /// @notice The model fee is one floor over the exact sum.
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_ModelFeeFormula(uint64 inTokens, uint64 outTokens, uint96 rateIn, uint96 rateOut) public pure {
        uint256 fee = FeeSplit.modelFee(inTokens, rateIn, outTokens, rateOut);
        uint256 exactTimes1000 = uint256(inTokens) * rateIn + uint256(outTokens) * rateOut;
        assertLe(fee * 1000, exactTimes1000, "floor");
        assertTrue(exactTimes1000 - fee * 1000 < 1000, "less than 1 wei below the exact fee");
        assertEq(FeeSplit.platformFee(fee, 500), (fee * 500) / 10_000, "platform 5%");
    }
}

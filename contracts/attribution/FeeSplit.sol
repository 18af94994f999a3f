// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title FeeSplit
/// @notice The inference fee formula and its exact three-way split. The attribution engine reproduces this math
///         off chain (it must agree to the wei), so every rule, including the tie-break, is spelled out here.
/// @custom:invariant split(fee, …) parts sum to exactly `fee`, and each part differs from fee × bps / 10,000 by
///                   less than 1 wei (largest-remainder rounding).
library FeeSplit {
    uint256 internal constant BPS = 10_000;

    /// @notice The bps do not sum to 10,000.
    error SplitBpsSum();

    /// @notice The model fee: ⌊(inTokens × ratePer1kIn + outTokens × ratePer1kOut) / 1000⌋ wei — one floor over the
    ///         exact sum, so splitting a call into input and output never loses more than 1 wei.
    function modelFee(uint256 inTokens, uint256 ratePer1kIn, uint256 outTokens, uint256 ratePer1kOut)
        internal
        pure
        returns (uint256)
    {
        return (inTokens * ratePer1kIn + outTokens * ratePer1kOut) / 1000;
    }

    /// @notice The platform fee charged on top of the model fee: ⌊fee × platformFeeBps / 10,000⌋.
    function platformFee(uint256 fee, uint256 platformFeeBps) internal pure returns (uint256) {
        return (fee * platformFeeBps) / BPS;
    }

    /// @notice Splits `fee` into model owner, contributors and protocol parts with largest-remainder rounding.
    /// @dev Each part starts at ⌊fee × bps / 10,000⌋. The leftover L = fee − Σ parts is 0, 1 or 2 wei (the
    ///      remainders fee × bps mod 10,000 sum to exactly L × 10,000). It goes, 1 wei each, to the L parts with the
    ///      largest remainders; on equal remainders the order is contributors, then model owner, then protocol.
    function split(uint256 fee, uint256 ownerBps, uint256 contributorsBps, uint256 protocolBps)
        internal
        pure
        returns (uint256 owner, uint256 contributors, uint256 protocol)
    {
        if (ownerBps + contributorsBps + protocolBps != BPS) revert SplitBpsSum();
        owner = (fee * ownerBps) / BPS;
        contributors = (fee * contributorsBps) / BPS;
        protocol = (fee * protocolBps) / BPS;
        uint256 leftover = fee - owner - contributors - protocol;
        if (leftover == 0) return (owner, contributors, protocol);
        uint256 rOwner = mulmod(fee, ownerBps, BPS);
        uint256 rContributors = mulmod(fee, contributorsBps, BPS);
        uint256 rProtocol = mulmod(fee, protocolBps, BPS);
        if (leftover == 1) {
            // The largest remainder; `>=` keeps the earlier part in the order on ties.
            if (rContributors >= rOwner && rContributors >= rProtocol) contributors += 1;
            else if (rOwner >= rProtocol) owner += 1;
            else protocol += 1;
        } else {
            // leftover == 2: every part but the smallest remainder; on ties the latest part in the order misses out.
            if (rProtocol <= rOwner && rProtocol <= rContributors) {
                (owner, contributors) = (owner + 1, contributors + 1);
            } else if (rOwner <= rContributors) {
                (contributors, protocol) = (contributors + 1, protocol + 1);
            } else {
                (owner, protocol) = (owner + 1, protocol + 1);
            }
        }
    }
}

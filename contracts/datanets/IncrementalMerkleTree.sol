// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @title IncrementalMerkleTree
/// @notice Append-only Merkle tree of fixed depth 32 (the eth2 deposit contract's algorithm) with OpenZeppelin's
///         commutative keccak256 node hash, so `MerkleProof.verify` checks membership against its root.
/// @dev Storage is 32 branch slots plus the size: an append writes one branch slot and reads at most
///      popcount(size) of them to compute the new root, instead of re-hashing the tree.
///      Off-chain reconstruction: leaves in insertion order, padded with `bytes32(0)` to 2^32, nodes hashed with
///      `commutativeKeccak256(a, b) = keccak256(min(a, b) ‖ max(a, b))`.
/// @custom:invariant `root()` equals the root of the full depth-32 tree over the pushed leaves in order, padded with
///                   zero leaves (checked against a naive recomputation in IncrementalMerkleTree.t.sol).
library IncrementalMerkleTree {
    uint256 internal constant DEPTH = 32;
    uint256 internal constant MAX_LEAVES = 2 ** DEPTH;

    /// @notice The tree already holds 2^32 leaves.
    error MerkleTreeFull();

    struct Tree {
        uint256 size;
        bytes32[DEPTH] branch;
    }

    /// @notice Appends `leaf`; returns its index and the tree's new root.
    function push(Tree storage tree, bytes32 leaf) internal returns (uint256 index, bytes32 newRoot) {
        index = tree.size;
        if (index >= MAX_LEAVES) revert MerkleTreeFull();
        uint256 size = index + 1;
        tree.size = size;
        bytes32 node = leaf;
        // The loop ends at the first level where `size` has a 1 bit: size <= 2^32 guarantees one exists.
        for (uint256 height = 0; height < DEPTH; ++height) {
            if (size & 1 == 1) {
                tree.branch[height] = node;
                break;
            }
            node = Hashes.commutativeKeccak256(tree.branch[height], node);
            size >>= 1;
        }
        newRoot = root(tree);
    }

    /// @notice The root over the pushed leaves, zero-padded to 2^32 leaves.
    function root(Tree storage tree) internal view returns (bytes32 node) {
        uint256 size = tree.size;
        bytes32 zero = bytes32(0);
        for (uint256 height = 0; height < DEPTH; ++height) {
            if (size & 1 == 1) node = Hashes.commutativeKeccak256(tree.branch[height], node);
            else node = Hashes.commutativeKeccak256(node, zero);
            zero = Hashes.commutativeKeccak256(zero, zero);
            size >>= 1;
        }
    }

    /// @notice The root of a tree with no leaves (2^32 zero leaves).
    function emptyRoot() internal pure returns (bytes32 zero) {
        for (uint256 height = 0; height < DEPTH; ++height) {
            zero = Hashes.commutativeKeccak256(zero, zero);
        }
    }
}

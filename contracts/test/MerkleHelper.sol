// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @notice OpenZeppelin StandardMerkleTree (@openzeppelin/merkle-tree) rebuilt in Solidity for tests: leaves
///         sorted by hash, laid out in a complete binary tree array, sorted-pair (commutative) node hashing. Same
///         roots and proofs as `StandardMerkleTree.of(values, ["uint64", "uint256", "address", "uint256"])`.
library MerkleHelper {
    /// @notice AttributionRewards' reward leaf (epoch, index, account, amount).
    function leaf(uint64 epoch, uint256 index, address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(epoch, index, account, amount))));
    }

    /// @notice The tree array (root at 0) over `leaves`, which are sorted in place.
    function build(bytes32[] memory leaves) internal pure returns (bytes32[] memory tree) {
        uint256 n = leaves.length;
        require(n > 0, "empty tree");
        _sort(leaves);
        tree = new bytes32[](2 * n - 1);
        for (uint256 i = 0; i < n; ++i) {
            tree[tree.length - 1 - i] = leaves[i];
        }
        for (uint256 i = tree.length - n; i > 0; --i) {
            tree[i - 1] = Hashes.commutativeKeccak256(tree[2 * (i - 1) + 1], tree[2 * (i - 1) + 2]);
        }
    }

    /// @notice The proof for `target`, which must be in `tree`.
    function proof(bytes32[] memory tree, bytes32 target) internal pure returns (bytes32[] memory p) {
        uint256 index = type(uint256).max;
        for (uint256 i = tree.length; i > 0; --i) {
            if (tree[i - 1] == target) {
                index = i - 1;
                break;
            }
        }
        require(index != type(uint256).max, "leaf not in tree");
        uint256 depth;
        for (uint256 i = index; i > 0; i = (i - 1) / 2) depth++;
        p = new bytes32[](depth);
        uint256 k;
        while (index > 0) {
            p[k++] = tree[index % 2 == 1 ? index + 1 : index - 1];
            index = (index - 1) / 2;
        }
    }

    function _sort(bytes32[] memory a) private pure {
        for (uint256 i = 1; i < a.length; ++i) {
            bytes32 key = a[i];
            uint256 j = i;
            while (j > 0 && a[j - 1] > key) {
                a[j] = a[j - 1];
                --j;
            }
            a[j] = key;
        }
    }
}

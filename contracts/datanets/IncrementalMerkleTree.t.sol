// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Test} from "../test/Vm.sol";
import {IncrementalMerkleTree} from "./IncrementalMerkleTree.sol";

contract TreeHarness {
    using IncrementalMerkleTree for IncrementalMerkleTree.Tree;

    IncrementalMerkleTree.Tree internal tree;

    function push(bytes32 leaf) external returns (uint256 index, bytes32 newRoot) {
        return tree.push(leaf);
    }

    function root() external view returns (bytes32) {
        return tree.root();
    }

    function setSize(uint256 size) external {
        tree.size = size;
    }
}

contract IncrementalMerkleTreeTest is Test {
    TreeHarness internal h;

    function setUp() public {
        h = new TreeHarness();
    }

    /// @dev Root and proof of `target` by hashing every level; missing right siblings are the zero subtree hashes.
    function _naive(bytes32[] memory leaves, uint256 target) internal pure returns (bytes32 root, bytes32[] memory p) {
        p = new bytes32[](IncrementalMerkleTree.DEPTH);
        bytes32[] memory nodes = leaves;
        bytes32 zero;
        uint256 idx = target;
        for (uint256 height = 0; height < IncrementalMerkleTree.DEPTH; ++height) {
            uint256 len = nodes.length;
            uint256 sib = idx ^ 1;
            p[height] = sib < len ? nodes[sib] : zero;
            bytes32[] memory next = new bytes32[]((len + 1) / 2);
            for (uint256 i = 0; i < next.length; ++i) {
                bytes32 right = 2 * i + 1 < len ? nodes[2 * i + 1] : zero;
                next[i] = Hashes.commutativeKeccak256(nodes[2 * i], right);
            }
            nodes = next;
            zero = Hashes.commutativeKeccak256(zero, zero);
            idx >>= 1;
        }
        root = nodes.length == 0 ? zero : nodes[0];
    }

    function test_EmptyRootIsTheZeroSubtreeOfDepth32() public view {
        (bytes32 expected,) = _naive(new bytes32[](0), 0);
        assertEq(h.root(), expected, "empty root");
        assertEq(IncrementalMerkleTree.emptyRoot(), expected, "emptyRoot()");
    }

    function test_PushReturnsIndexAndRoot() public {
        bytes32[] memory leaves = new bytes32[](3);
        for (uint256 i = 0; i < 3; ++i) {
            leaves[i] = keccak256(abi.encode(i));
            (uint256 index, bytes32 root) = h.push(leaves[i]);
            assertEq(index, i, "index");
            assertEq(root, h.root(), "returned root = root()");
        }
        (bytes32 expected,) = _naive(leaves, 0);
        assertEq(h.root(), expected, "root of 3");
    }

    function test_FullTreeReverts() public {
        h.setSize(2 ** 32);
        vm.expectRevert(IncrementalMerkleTree.MerkleTreeFull.selector);
        h.push(bytes32(uint256(1)));
    }

    function test_LastSlotStillFits() public {
        h.setSize(2 ** 32 - 1);
        (uint256 index,) = h.push(bytes32(uint256(1)));
        assertEq(index, 2 ** 32 - 1, "last index");
    }

    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_RootMatchesNaiveTreeAndProofsVerify(uint256 seed, uint8 count, uint256 target) public {
        uint256 n = bound(count, 1, 33);
        bytes32[] memory leaves = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            leaves[i] = keccak256(abi.encode(seed, i));
            h.push(leaves[i]);
        }
        target = bound(target, 0, n - 1);
        (bytes32 expected, bytes32[] memory proof) = _naive(leaves, target);
        assertEq(h.root(), expected, "incremental root = naive root");
        assertTrue(MerkleProof.verify(proof, h.root(), leaves[target]), "OZ MerkleProof verifies a member");
        assertFalse(MerkleProof.verify(proof, h.root(), keccak256(abi.encode(seed, n))), "non-member fails");
    }
}

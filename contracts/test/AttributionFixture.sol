// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AttributionRewards} from "../attribution/AttributionRewards.sol";
import {DatanetRegistry} from "../datanets/DatanetRegistry.sol";
import {IDatanetRegistry} from "../datanets/IDatanetRegistry.sol";
import {IModelRegistry} from "../models/IModelRegistry.sol";
import {ModelRegistry} from "../models/ModelRegistry.sol";
import {MerkleHelper} from "./MerkleHelper.sol";
import {MockERC20} from "./MockERC20.sol";
import {Vm} from "./Vm.sol";

/// @notice The three contracts wired as the devnet will deploy them, with one Datanet at version 1, one model and
///         a bonded attestor; shared by the unit and invariant tests of AttributionRewards.
abstract contract AttributionFixture {
    Vm private constant _vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    address internal constant ADMIN = address(0xAD);
    address internal constant GUARDIAN = address(0x6A);
    address internal constant TREASURY = address(0x7E);
    address internal constant BUILDER = address(0xB1);
    address internal constant APP = address(0xA9);
    address internal constant CHALLENGER = address(0xC4);
    address internal constant DN_TREASURY = address(0xD7);

    uint256 internal constant ATTESTOR_PK = 0xA77E57;
    uint256 internal constant EPOCH = 1 hours;
    uint256 internal constant WINDOW = 1 days;
    uint128 internal constant MIN_BOND = 1_000e18;
    uint96 internal constant CHALLENGE_BOND = 100e18;
    uint96 internal constant RATE_IN = 1e15; // 0.001 OPEN per 1k input tokens
    uint96 internal constant RATE_OUT = 3e15;

    MockERC20 internal token;
    DatanetRegistry internal datanets;
    ModelRegistry internal models;
    AttributionRewards internal rewards;
    address internal attestor;
    uint256 internal modelId;

    function _deployFixture() internal {
        _vm.warp(1_700_000_000);
        token = new MockERC20();
        datanets = new DatanetRegistry(IERC20(address(token)), ADMIN, GUARDIAN);
        models = new ModelRegistry(IDatanetRegistry(address(datanets)), ADMIN);
        rewards = new AttributionRewards(
            IERC20(address(token)),
            IModelRegistry(address(models)),
            ADMIN,
            GUARDIAN,
            TREASURY,
            EPOCH,
            WINDOW,
            MIN_BOND,
            CHALLENGE_BOND
        );
        attestor = _vm.addr(ATTESTOR_PK);

        _vm.startPrank(BUILDER);
        uint256 dn = datanets.createDatanet(
            "code", "MIT", "", DatanetRegistry.Settings(DatanetRegistry.Policy.Open, DN_TREASURY, 0, 0, 0)
        );
        datanets.submitContribution(dn, keccak256("row"), bytes("da"), 10, 3);
        ModelRegistry.DatanetRef[] memory refs = new ModelRegistry.DatanetRef[](1);
        refs[0] = ModelRegistry.DatanetRef(uint64(dn), 1, 10_000);
        modelId = models.registerModel(
            ModelRegistry.ModelParams({
                name: "coder-lora",
                kind: IModelRegistry.ModelKind.Large,
                baseModelId: keccak256("base"),
                adapterHash: keccak256("adapter"),
                adapterURI: "ipfs://a",
                datanets: refs,
                ratePer1kIn: RATE_IN,
                ratePer1kOut: RATE_OUT,
                split: ModelRegistry.Split({ownerBps: 3_000, contributorsBps: 5_000, protocolBps: 2_000})
            })
        );
        _vm.stopPrank();

        _fund(APP, 1_000_000e18);
        _fund(CHALLENGER, 10_000e18);
        _fund(attestor, 10_000e18);
        bytes32 attestorRole = rewards.ATTESTOR_ROLE();
        _vm.prank(ADMIN);
        rewards.grantRole(attestorRole, attestor);
        _vm.prank(attestor);
        rewards.depositBond(MIN_BOND);
    }

    function _fund(address who, uint256 amount) internal {
        token.mint(who, amount);
        _vm.prank(who);
        token.approve(address(rewards), type(uint256).max);
    }

    function _pay(uint64 inTokens, uint64 outTokens) internal returns (uint256 id) {
        _vm.prank(APP);
        id = rewards.payInference(modelId, inTokens, outTokens, type(uint256).max, keccak256(abi.encode(inTokens)));
    }

    function _input(uint64 epoch, bytes32 root, uint32 leafCount)
        internal
        view
        returns (AttributionRewards.SettlementInput memory s)
    {
        AttributionRewards.Escrow memory e = rewards.getEscrow(epoch);
        s = AttributionRewards.SettlementInput({
            epoch: epoch,
            rewardsRoot: root,
            inferencesRoot: keccak256(abi.encode("records", epoch)),
            totalAmount: e.contributors,
            inferenceCount: e.inferenceCount,
            leafCount: leafCount
        });
    }

    /// @dev StandardMerkleTree over the leaves (epoch, i, accounts[i], amounts[i]).
    function _tree(uint64 epoch, address[] memory accounts, uint256[] memory amounts)
        internal
        pure
        returns (bytes32[] memory)
    {
        bytes32[] memory leaves = new bytes32[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            leaves[i] = MerkleHelper.leaf(epoch, i, accounts[i], amounts[i]);
        }
        return MerkleHelper.build(leaves);
    }

    function _proof(bytes32[] memory tree, uint64 epoch, uint256 index, address account, uint256 amount)
        internal
        pure
        returns (bytes32[] memory)
    {
        return MerkleHelper.proof(tree, MerkleHelper.leaf(epoch, index, account, amount));
    }

    function _sign(uint256 pk, AttributionRewards.SettlementInput memory s) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 sig) = _vm.sign(pk, rewards.settlementDigest(s));
        return abi.encodePacked(r, sig, v);
    }
}

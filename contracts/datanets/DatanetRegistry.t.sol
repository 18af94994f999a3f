// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {MockERC20} from "../test/MockERC20.sol";
import {Test} from "../test/Vm.sol";
import {DatanetRegistry} from "./DatanetRegistry.sol";
import {IncrementalMerkleTree} from "./IncrementalMerkleTree.sol";

contract DatanetRegistryTest is Test {
    MockERC20 internal token;
    DatanetRegistry internal reg;

    address internal constant ADMIN = address(0xAD);
    address internal constant GUARDIAN = address(0x6A);
    address internal constant OWNER = address(0x0E);
    address internal constant TREASURY = address(0x7E);
    address internal constant CURATOR = address(0xC0);
    address internal constant ALICE = address(0xA1);
    address internal constant BOB = address(0xB0);
    address internal constant EVE = address(0xEE);

    uint256 internal constant STAKE = 100e18;

    function setUp() public {
        vm.warp(1_700_000_000);
        token = new MockERC20();
        reg = new DatanetRegistry(IERC20(address(token)), ADMIN, GUARDIAN);
        address[3] memory users = [ALICE, BOB, EVE];
        for (uint256 i = 0; i < users.length; ++i) {
            token.mint(users[i], 1_000e18);
            vm.prank(users[i]);
            token.approve(address(reg), type(uint256).max);
        }
    }

    // ---------------------------------------------------------------- helpers

    function _settings(DatanetRegistry.Policy policy) internal pure returns (DatanetRegistry.Settings memory) {
        return DatanetRegistry.Settings({
            policy: policy, treasury: TREASURY, requiredStake: uint128(STAKE), maxSubmissionsPerDay: 0, maxBytesPerDay: 0
        });
    }

    function _create(DatanetRegistry.Policy policy) internal returns (uint256 id) {
        vm.prank(OWNER);
        id = reg.createDatanet("medical-qa", "CC-BY-4.0", "ipfs://meta", _settings(policy));
    }

    function _stake(uint256 id, address who, uint256 amount) internal {
        vm.prank(who);
        reg.stake(id, amount);
    }

    function _submit(uint256 id, address who, bytes32 h) internal {
        vm.prank(who);
        reg.submitContribution(id, h, bytes("eigenda:0x010100aa"), 1_000, 250);
    }

    function _one(bytes32 h) internal pure returns (bytes32[] memory a) {
        a = new bytes32[](1);
        a[0] = h;
    }

    function _leaf(bytes32 h) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(h))));
    }

    /// @dev Root of a depth-32 zero-padded tree over two leaves, computed by hand.
    function _rootOf2(bytes32 a, bytes32 b) internal pure returns (bytes32 node) {
        node = Hashes.commutativeKeccak256(a, b);
        bytes32 zero = Hashes.commutativeKeccak256(bytes32(0), bytes32(0));
        for (uint256 h = 1; h < 32; ++h) {
            node = Hashes.commutativeKeccak256(node, zero);
            zero = Hashes.commutativeKeccak256(zero, zero);
        }
    }

    function _status(bytes32 h) internal view returns (DatanetRegistry.Status) {
        return reg.getContribution(h).status;
    }

    // ---------------------------------------------------------------- constructor

    function test_ConstructorRejectsZeroAddresses() public {
        vm.expectRevert(DatanetRegistry.ZeroAddress.selector);
        new DatanetRegistry(IERC20(address(0)), ADMIN, GUARDIAN);
        vm.expectRevert(DatanetRegistry.ZeroAddress.selector);
        new DatanetRegistry(IERC20(address(token)), address(0), GUARDIAN);
        vm.expectRevert(DatanetRegistry.ZeroAddress.selector);
        new DatanetRegistry(IERC20(address(token)), ADMIN, address(0));
    }

    function test_ConstructorGrantsNamedRoles() public view {
        assertTrue(reg.hasRole(reg.DEFAULT_ADMIN_ROLE(), ADMIN), "admin");
        assertTrue(reg.hasRole(reg.GUARDIAN_ROLE(), GUARDIAN), "guardian");
        assertFalse(reg.hasRole(reg.GUARDIAN_ROLE(), ADMIN), "admin is not guardian");
        assertEq(address(reg.stakeToken()), address(token), "stake token");
    }

    // ---------------------------------------------------------------- create / settings

    function test_CreateDatanetStoresEverythingAtVersionZero() public {
        vm.expectEmit(true, true, false, false, address(reg));
        emit DatanetRegistry.DatanetCreated(1, OWNER, "", "", "", _settings(DatanetRegistry.Policy.Open));
        uint256 id = _create(DatanetRegistry.Policy.OwnerApproval);
        assertEq(id, 1, "first id");
        assertEq(reg.datanetCount(), 1, "count");
        DatanetRegistry.Datanet memory d = reg.getDatanet(id);
        assertEq(d.owner, OWNER, "owner");
        assertEq(d.treasury, TREASURY, "treasury");
        assertTrue(d.policy == DatanetRegistry.Policy.OwnerApproval, "policy");
        assertEq(d.requiredStake, STAKE, "stake");
        assertEq(d.version, 0, "version");
        assertEq(d.createdAt, block.timestamp, "createdAt");
        assertEq(keccak256(bytes(d.name)), keccak256("medical-qa"), "name");
        assertEq(keccak256(bytes(d.license)), keccak256("CC-BY-4.0"), "license");
        assertEq(keccak256(bytes(d.metadataURI)), keccak256("ipfs://meta"), "metadata");
        assertEq(d.root, IncrementalMerkleTree.emptyRoot(), "empty root");
        assertEq(reg.versionRoot(id, 0), d.root, "version 0 root");
        assertEq(reg.currentVersion(id), 0, "currentVersion");
        assertEq(reg.treasuryOf(id), TREASURY, "treasuryOf");
    }

    function test_CreateDatanetValidatesStringsAndTreasury() public {
        DatanetRegistry.Settings memory s = _settings(DatanetRegistry.Policy.Open);
        vm.startPrank(OWNER);
        vm.expectRevert(DatanetRegistry.InvalidString.selector);
        reg.createDatanet("", "MIT", "", s);
        vm.expectRevert(DatanetRegistry.InvalidString.selector);
        reg.createDatanet(string(new bytes(65)), "MIT", "", s);
        vm.expectRevert(DatanetRegistry.InvalidString.selector);
        reg.createDatanet("n", string(new bytes(513)), "", s);
        vm.expectRevert(DatanetRegistry.InvalidString.selector);
        reg.createDatanet("n", "MIT", string(new bytes(513)), s);
        s.treasury = address(0);
        vm.expectRevert(DatanetRegistry.ZeroAddress.selector);
        reg.createDatanet("n", "MIT", "", s);
        vm.stopPrank();
    }

    function test_UnknownDatanetReverts() public {
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownDatanet.selector, 7));
        reg.currentVersion(7);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownDatanet.selector, 7));
        reg.getDatanet(7);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownDatanet.selector, 7));
        reg.treasuryOf(7);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownDatanet.selector, 7));
        _stake(7, ALICE, 1);
    }

    function test_UpdateSettingsOnlyOwner() public {
        uint256 id = _create(DatanetRegistry.Policy.Open);
        DatanetRegistry.Settings memory s = _settings(DatanetRegistry.Policy.Allowlist);
        s.requiredStake = 5;
        s.maxSubmissionsPerDay = 3;
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotDatanetOwner.selector, id, EVE));
        vm.prank(EVE);
        reg.updateSettings(id, s);
        vm.expectEmit(true, false, false, true, address(reg));
        emit DatanetRegistry.DatanetSettingsUpdated(id, s);
        vm.prank(OWNER);
        reg.updateSettings(id, s);
        DatanetRegistry.Datanet memory d = reg.getDatanet(id);
        assertTrue(d.policy == DatanetRegistry.Policy.Allowlist, "policy");
        assertEq(d.requiredStake, 5, "stake");
        assertEq(d.maxSubmissionsPerDay, 3, "limit");
        s.treasury = address(0);
        vm.expectRevert(DatanetRegistry.ZeroAddress.selector);
        vm.prank(OWNER);
        reg.updateSettings(id, s);
    }

    function test_SetMetadataURI() public {
        uint256 id = _create(DatanetRegistry.Policy.Open);
        vm.prank(OWNER);
        reg.setMetadataURI(id, "ar://new");
        assertEq(keccak256(bytes(reg.getDatanet(id).metadataURI)), keccak256("ar://new"), "metadata");
        vm.expectRevert(DatanetRegistry.InvalidString.selector);
        vm.prank(OWNER);
        reg.setMetadataURI(id, string(new bytes(513)));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotDatanetOwner.selector, id, EVE));
        vm.prank(EVE);
        reg.setMetadataURI(id, "x");
    }

    function test_TransferOwnershipMovesControl() public {
        uint256 id = _create(DatanetRegistry.Policy.Open);
        vm.expectRevert(DatanetRegistry.ZeroAddress.selector);
        vm.prank(OWNER);
        reg.transferDatanetOwnership(id, address(0));
        vm.expectEmit(true, true, true, true, address(reg));
        emit DatanetRegistry.DatanetOwnershipTransferred(id, OWNER, BOB);
        vm.prank(OWNER);
        reg.transferDatanetOwnership(id, BOB);
        assertEq(reg.getDatanet(id).owner, BOB, "new owner");
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotDatanetOwner.selector, id, OWNER));
        vm.prank(OWNER);
        reg.setMetadataURI(id, "x");
    }

    function test_CuratorsAndAllowlist() public {
        uint256 id = _create(DatanetRegistry.Policy.Allowlist);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotDatanetOwner.selector, id, CURATOR));
        vm.prank(CURATOR);
        reg.setCurator(id, CURATOR, true);
        vm.expectRevert(DatanetRegistry.ZeroAddress.selector);
        vm.prank(OWNER);
        reg.setCurator(id, address(0), true);
        vm.prank(OWNER);
        reg.setCurator(id, CURATOR, true);
        assertTrue(reg.isCurator(id, CURATOR), "curator set");

        address[] memory who = new address[](2);
        (who[0], who[1]) = (ALICE, BOB);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotReviewer.selector, id, EVE));
        vm.prank(EVE);
        reg.setAllowlisted(id, who, true);
        vm.prank(CURATOR);
        reg.setAllowlisted(id, who, true);
        assertTrue(reg.isAllowlisted(id, ALICE) && reg.isAllowlisted(id, BOB), "allowlisted");
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.BatchSize.selector, 0));
        vm.prank(OWNER);
        reg.setAllowlisted(id, new address[](0), true);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.BatchSize.selector, 101));
        vm.prank(OWNER);
        reg.setAllowlisted(id, new address[](101), true);

        vm.prank(OWNER);
        reg.setCurator(id, CURATOR, false);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotReviewer.selector, id, CURATOR));
        vm.prank(CURATOR);
        reg.setAllowlisted(id, who, false);
    }

    // ---------------------------------------------------------------- stake

    function test_StakeAndUnstakeMoveTokens() public {
        uint256 id = _create(DatanetRegistry.Policy.Open);
        vm.expectEmit(true, true, false, true, address(reg));
        emit DatanetRegistry.Staked(id, ALICE, 40e18, 40e18);
        _stake(id, ALICE, 40e18);
        _stake(id, ALICE, 60e18);
        (uint256 staked,) = reg.stakeOf(id, ALICE);
        assertEq(staked, 100e18, "staked");
        assertEq(token.balanceOf(address(reg)), 100e18, "registry holds stake");
        vm.prank(ALICE);
        reg.unstake(id, 30e18);
        (staked,) = reg.stakeOf(id, ALICE);
        assertEq(staked, 70e18, "after unstake");
        assertEq(token.balanceOf(ALICE), 930e18, "alice balance");
    }

    function test_StakeRevertPaths() public {
        uint256 id = _create(DatanetRegistry.Policy.Open);
        vm.expectRevert(DatanetRegistry.ZeroAmount.selector);
        _stake(id, ALICE, 0);
        vm.expectRevert(DatanetRegistry.ZeroAmount.selector);
        vm.prank(ALICE);
        reg.unstake(id, 0);
        _stake(id, ALICE, 10);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.InsufficientStake.selector, 11, 10));
        vm.prank(ALICE);
        reg.unstake(id, 11);
    }

    function test_StakeIsLockedWhileAContributionIsPending() public {
        uint256 id = _create(DatanetRegistry.Policy.OwnerApproval);
        _stake(id, ALICE, STAKE);
        _submit(id, ALICE, keccak256("row-1"));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.StakeLocked.selector, 1));
        vm.prank(ALICE);
        reg.unstake(id, 1);
        vm.prank(OWNER);
        reg.approveContributions(id, _one(keccak256("row-1")));
        vm.prank(ALICE);
        reg.unstake(id, STAKE);
        assertEq(token.balanceOf(ALICE), 1_000e18, "stake back after review");
    }

    // ---------------------------------------------------------------- submissions

    function test_OpenDatanetAcceptsOnSubmissionAndBumpsVersion() public {
        uint256 id = _create(DatanetRegistry.Policy.Open);
        _stake(id, ALICE, STAKE);
        bytes32 h = keccak256("row-1");
        vm.expectEmit(true, true, true, true, address(reg));
        emit DatanetRegistry.ContributionSubmitted(h, id, ALICE, bytes("eigenda:0x010100aa"), 1_000, 250);
        vm.expectEmit(true, true, true, true, address(reg));
        emit DatanetRegistry.ContributionApproved(h, id, ALICE, 1, 0);
        _submit(id, ALICE, h);
        DatanetRegistry.Contribution memory c = reg.getContribution(h);
        assertTrue(c.status == DatanetRegistry.Status.Approved, "approved");
        assertEq(c.contributor, ALICE, "contributor");
        assertEq(c.datanetId, id, "datanet");
        assertEq(c.byteSize, 1_000, "bytes");
        assertEq(c.tokenCount, 250, "tokens");
        assertEq(c.version, 1, "version");
        assertEq(c.leafIndex, 0, "leaf");
        assertEq(reg.currentVersion(id), 1, "datanet version");

        bytes32 h2 = keccak256("row-2");
        _submit(id, ALICE, h2);
        bytes32 root = _rootOf2(_leaf(h), _leaf(h2));
        assertEq(reg.getDatanet(id).root, root, "root over two approved leaves");
        assertEq(reg.versionRoot(id, 2), root, "version 2 root");
        assertEq(reg.getDatanet(id).approvedCount, 2, "approved count");
        assertTrue(reg.versionRoot(id, 1) != root, "version 1 root kept");
        assertEq(reg.leafOf(h), _leaf(h), "leafOf");
    }

    function test_ApprovedHashIsProvableAgainstTheVersionRoot() public {
        uint256 id = _create(DatanetRegistry.Policy.Open);
        _stake(id, ALICE, STAKE);
        bytes32 a = keccak256("a");
        bytes32 b = keccak256("b");
        _submit(id, ALICE, a);
        _submit(id, ALICE, b);
        bytes32[] memory proof = new bytes32[](32);
        proof[0] = _leaf(a);
        bytes32 zero = Hashes.commutativeKeccak256(bytes32(0), bytes32(0));
        for (uint256 i = 1; i < 32; ++i) {
            proof[i] = zero;
            zero = Hashes.commutativeKeccak256(zero, zero);
        }
        assertTrue(MerkleProof.verify(proof, reg.versionRoot(id, 2), _leaf(b)), "b is in version 2");
        assertFalse(MerkleProof.verify(proof, reg.versionRoot(id, 2), _leaf(keccak256("c"))), "c is not");
    }

    function test_SubmissionValidation() public {
        uint256 id = _create(DatanetRegistry.Policy.Open);
        _stake(id, ALICE, STAKE);
        vm.startPrank(ALICE);
        vm.expectRevert(DatanetRegistry.InvalidContribution.selector);
        reg.submitContribution(id, bytes32(0), bytes("x"), 1, 1);
        vm.expectRevert(DatanetRegistry.InvalidContribution.selector);
        reg.submitContribution(id, keccak256("r"), bytes("x"), 0, 1);
        vm.expectRevert(DatanetRegistry.InvalidContribution.selector);
        reg.submitContribution(id, keccak256("r"), bytes(""), 1, 1);
        vm.expectRevert(DatanetRegistry.InvalidContribution.selector);
        reg.submitContribution(id, keccak256("r"), new bytes(1025), 1, 1);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.UnknownDatanet.selector, 9));
        reg.submitContribution(9, keccak256("r"), bytes("x"), 1, 1);
        vm.stopPrank();
    }

    function test_SubmissionNeedsTheRequiredStake() public {
        uint256 id = _create(DatanetRegistry.Policy.Open);
        _stake(id, ALICE, STAKE - 1);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.InsufficientStake.selector, STAKE, STAKE - 1));
        _submit(id, ALICE, keccak256("r"));
    }

    function test_AllowlistDatanetRefusesOthers() public {
        uint256 id = _create(DatanetRegistry.Policy.Allowlist);
        _stake(id, ALICE, STAKE);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotAllowlisted.selector, id, ALICE));
        _submit(id, ALICE, keccak256("r"));
        address[] memory who = new address[](1);
        who[0] = ALICE;
        vm.prank(OWNER);
        reg.setAllowlisted(id, who, true);
        _submit(id, ALICE, keccak256("r"));
        assertTrue(_status(keccak256("r")) == DatanetRegistry.Status.Approved, "accepted on submission");
    }

    function test_DuplicateContentHashRefusedAcrossDatanets() public {
        uint256 a = _create(DatanetRegistry.Policy.Open);
        uint256 b = _create(DatanetRegistry.Policy.Open);
        _stake(a, ALICE, STAKE);
        _stake(b, BOB, STAKE);
        bytes32 h = keccak256("same text");
        _submit(a, ALICE, h);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.DuplicateContribution.selector, h));
        _submit(b, BOB, h);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.DuplicateContribution.selector, h));
        _submit(a, ALICE, h);
        assertEq(reg.getContribution(h).contributor, ALICE, "first registration owns it");
    }

    function test_RateLimitsPerContributorPerDay() public {
        vm.prank(OWNER);
        DatanetRegistry.Settings memory s = _settings(DatanetRegistry.Policy.Open);
        s.maxSubmissionsPerDay = 2;
        s.maxBytesPerDay = 2_500;
        uint256 id = reg.createDatanet("n", "MIT", "", s);
        _stake(id, ALICE, STAKE);
        _stake(id, BOB, STAKE);
        _submit(id, ALICE, keccak256("1"));
        (uint256 subs, uint256 bytesLeft) = reg.remainingQuota(id, ALICE);
        assertEq(subs, 1, "one submission left");
        assertEq(bytesLeft, 1_500, "bytes left");
        _submit(id, ALICE, keccak256("2"));
        vm.expectRevert(DatanetRegistry.RateLimited.selector);
        _submit(id, ALICE, keccak256("3"));
        _submit(id, BOB, keccak256("3")); // limits are per contributor
        vm.prank(BOB);
        vm.expectRevert(DatanetRegistry.RateLimited.selector);
        reg.submitContribution(id, keccak256("big"), bytes("x"), 1_501, 1); // 1,000 + 1,501 > 2,500
        vm.warp(block.timestamp + 1 days);
        (subs, bytesLeft) = reg.remainingQuota(id, ALICE);
        assertEq(subs, 2, "quota resets the next day");
        _submit(id, ALICE, keccak256("3b"));
    }

    function test_UnlimitedQuotaWhenLimitsAreZero() public {
        uint256 id = _create(DatanetRegistry.Policy.Open);
        (uint256 subs, uint256 bytesLeft) = reg.remainingQuota(id, ALICE);
        assertEq(subs, type(uint256).max, "unlimited submissions");
        assertEq(bytesLeft, type(uint256).max, "unlimited bytes");
    }

    // ---------------------------------------------------------------- review

    function test_OwnerApprovalKeepsPendingThenBatchApprovesAsOneVersion() public {
        uint256 id = _create(DatanetRegistry.Policy.OwnerApproval);
        vm.prank(OWNER);
        reg.setCurator(id, CURATOR, true);
        _stake(id, ALICE, STAKE);
        _stake(id, BOB, STAKE);
        bytes32[] memory hs = new bytes32[](3);
        hs[0] = keccak256("a");
        hs[1] = keccak256("b");
        hs[2] = keccak256("c");
        _submit(id, ALICE, hs[0]);
        _submit(id, BOB, hs[1]);
        _submit(id, ALICE, hs[2]);
        assertTrue(_status(hs[0]) == DatanetRegistry.Status.Pending, "pending");
        assertEq(reg.currentVersion(id), 0, "no version yet");
        (, uint256 pending) = reg.stakeOf(id, ALICE);
        assertEq(pending, 2, "alice pending");

        vm.expectEmit(true, true, false, false, address(reg));
        emit DatanetRegistry.DatanetVersioned(id, 1, bytes32(0), 3);
        vm.prank(CURATOR);
        reg.approveContributions(id, hs);
        assertEq(reg.currentVersion(id), 1, "one version for the batch");
        assertEq(reg.getDatanet(id).approvedCount, 3, "three leaves");
        assertEq(reg.getContribution(hs[2]).leafIndex, 2, "leaf order = batch order");
        (, pending) = reg.stakeOf(id, ALICE);
        assertEq(pending, 0, "no longer pending");
    }

    function test_ReviewRevertPaths() public {
        uint256 id = _create(DatanetRegistry.Policy.OwnerApproval);
        uint256 other = _create(DatanetRegistry.Policy.OwnerApproval);
        _stake(id, ALICE, STAKE);
        _stake(other, ALICE, STAKE);
        bytes32 h = keccak256("a");
        bytes32 elsewhere = keccak256("other");
        _submit(id, ALICE, h);
        _submit(other, ALICE, elsewhere);

        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotReviewer.selector, id, EVE));
        vm.prank(EVE);
        reg.approveContributions(id, _one(h));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotReviewer.selector, id, EVE));
        vm.prank(EVE);
        reg.rejectContributions(id, _one(h), true);

        vm.startPrank(OWNER);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.WrongDatanet.selector, elsewhere));
        reg.approveContributions(id, _one(elsewhere));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotPending.selector, keccak256("nope")));
        reg.approveContributions(id, _one(keccak256("nope")));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.BatchSize.selector, 0));
        reg.approveContributions(id, new bytes32[](0));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.BatchSize.selector, 101));
        reg.approveContributions(id, new bytes32[](101));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.BatchSize.selector, 101));
        reg.rejectContributions(id, new bytes32[](101), false);
        reg.approveContributions(id, _one(h));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotPending.selector, h));
        reg.approveContributions(id, _one(h));
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotPending.selector, h));
        reg.rejectContributions(id, _one(h), true);
        vm.stopPrank();
    }

    function test_PlainRejectionKeepsStakeAndBlocksResubmission() public {
        uint256 id = _create(DatanetRegistry.Policy.OwnerApproval);
        _stake(id, ALICE, STAKE);
        bytes32 h = keccak256("off-topic");
        _submit(id, ALICE, h);
        vm.expectEmit(true, true, true, true, address(reg));
        emit DatanetRegistry.ContributionRejected(h, id, OWNER, false, 0);
        vm.prank(OWNER);
        reg.rejectContributions(id, _one(h), false);
        assertTrue(_status(h) == DatanetRegistry.Status.Rejected, "rejected");
        (uint256 staked, uint256 pending) = reg.stakeOf(id, ALICE);
        assertEq(staked, STAKE, "no slash");
        assertEq(pending, 0, "not pending");
        assertEq(reg.penaltyScore(ALICE), 0, "no penalty");
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.DuplicateContribution.selector, h));
        _submit(id, ALICE, h);
    }

    function test_SpamRejectionSlashesTenPercentToTreasuryAndPenalizes() public {
        uint256 id = _create(DatanetRegistry.Policy.OwnerApproval);
        _stake(id, ALICE, STAKE);
        bytes32 h = keccak256("spam");
        _submit(id, ALICE, h);
        vm.expectEmit(true, true, true, true, address(reg));
        emit DatanetRegistry.ContributionRejected(h, id, OWNER, true, 10e18);
        vm.prank(OWNER);
        reg.rejectContributions(id, _one(h), true);
        assertTrue(_status(h) == DatanetRegistry.Status.Spam, "spam");
        (uint256 staked,) = reg.stakeOf(id, ALICE);
        assertEq(staked, 90e18, "10% slashed");
        assertEq(reg.credits(TREASURY), 10e18, "treasury credited");
        assertEq(reg.penaltyScore(ALICE), 1e18, "penalty");
        assertEq(reg.payoutScaleWad(ALICE), 1e18 - uint256(1e18) / 3, "payout scale 1 - 1/3");

        vm.prank(TREASURY);
        assertEq(reg.withdraw(), 10e18, "withdrawn");
        assertEq(token.balanceOf(TREASURY), 10e18, "treasury balance");
        assertEq(reg.credits(TREASURY), 0, "credit cleared");
        vm.expectRevert(DatanetRegistry.ZeroAmount.selector);
        vm.prank(TREASURY);
        reg.withdraw();
    }

    function test_PenaltyDecaysLinearlyOverThirtyDaysAndStacks() public {
        uint256 id = _create(DatanetRegistry.Policy.OwnerApproval);
        _stake(id, ALICE, STAKE);
        bytes32[] memory hs = new bytes32[](3);
        for (uint256 i = 0; i < 3; ++i) {
            hs[i] = keccak256(abi.encode("spam", i));
            _submit(id, ALICE, hs[i]);
        }
        vm.prank(OWNER);
        reg.rejectContributions(id, hs, true);
        assertEq(reg.penaltyScore(ALICE), 3e18, "three penalties");
        assertEq(reg.payoutScaleWad(ALICE), 0, "at threshold payouts are zero");
        (uint256 staked,) = reg.stakeOf(id, ALICE);
        assertEq(staked, 72.9e18, "each slash takes 10% of what is left");
        vm.warp(block.timestamp + 15 days);
        assertEq(reg.penaltyScore(ALICE), 1.5e18, "half after 15 days");
        assertEq(reg.payoutScaleWad(ALICE), 0.5e18, "scale 0.5");
        vm.warp(block.timestamp + 15 days);
        assertEq(reg.penaltyScore(ALICE), 0, "gone after 30 days");
        assertEq(reg.payoutScaleWad(ALICE), 1e18, "full payouts");
    }

    // ---------------------------------------------------------------- governance / guardian

    function test_GovernanceParamsAreBoundedAndRoleGated() public {
        bytes memory denied = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector, EVE, reg.DEFAULT_ADMIN_ROLE()
        );
        vm.expectRevert(denied);
        vm.prank(EVE);
        reg.setSpamSlashBps(1);
        vm.expectRevert(denied);
        vm.prank(EVE);
        reg.setPenaltyParams(1, 2);

        vm.startPrank(ADMIN);
        vm.expectRevert(DatanetRegistry.ParamOutOfBounds.selector);
        reg.setSpamSlashBps(5_001);
        reg.setSpamSlashBps(5_000);
        assertEq(reg.spamSlashBps(), 5_000, "slash bps");
        vm.expectRevert(DatanetRegistry.ParamOutOfBounds.selector);
        reg.setPenaltyParams(1, 0);
        vm.expectRevert(DatanetRegistry.ParamOutOfBounds.selector);
        reg.setPenaltyParams(3, 2);
        vm.expectRevert(DatanetRegistry.ParamOutOfBounds.selector);
        reg.setPenaltyParams(1, 1e9 * 1e18 + 1);
        reg.setPenaltyParams(2e18, 10e18);
        assertEq(reg.penaltyPerSpam(), 2e18, "per spam");
        assertEq(reg.penaltyThreshold(), 10e18, "threshold");
        vm.stopPrank();
    }

    function test_PauseBlocksWritesButNotExits() public {
        uint256 id = _create(DatanetRegistry.Policy.OwnerApproval);
        _stake(id, ALICE, STAKE);
        _stake(id, BOB, STAKE);
        _submit(id, BOB, keccak256("spam"));
        vm.prank(OWNER);
        reg.rejectContributions(id, _one(keccak256("spam")), true);

        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, ADMIN, reg.GUARDIAN_ROLE())
        );
        vm.prank(ADMIN);
        reg.pause();
        vm.prank(GUARDIAN);
        reg.pause();

        vm.expectRevert(Pausable.EnforcedPause.selector);
        _create(DatanetRegistry.Policy.Open);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _stake(id, ALICE, 1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _submit(id, ALICE, keccak256("x"));
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(OWNER);
        reg.approveContributions(id, _one(keccak256("x")));
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(OWNER);
        reg.rejectContributions(id, _one(keccak256("x")), false);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(OWNER);
        reg.updateSettings(id, _settings(DatanetRegistry.Policy.Open));
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(OWNER);
        reg.setMetadataURI(id, "x");

        vm.prank(ALICE);
        reg.unstake(id, STAKE); // exits stay open
        vm.prank(TREASURY);
        reg.withdraw();
        assertEq(token.balanceOf(ALICE), 1_000e18, "stake back while paused");

        vm.prank(GUARDIAN);
        reg.unpause();
        _stake(id, ALICE, STAKE);
        _submit(id, ALICE, keccak256("x"));
        assertTrue(_status(keccak256("x")) == DatanetRegistry.Status.Pending, "works again");
    }

    // ---------------------------------------------------------------- fuzz

    /// @notice Repeated spam slashes take exactly bps of the remaining stake each time, never more than the stake,
    ///         and every slashed wei lands in the treasury's credit.
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_SpamSlashNeverExceedsStake(uint128 stakeAmount, uint16 bps, uint8 spams) public {
        uint256 amount = bound(stakeAmount, 1, 1_000e18);
        bps = uint16(bound(bps, 0, reg.MAX_SPAM_SLASH_BPS()));
        uint256 n = bound(spams, 1, 8);
        vm.prank(ADMIN);
        reg.setSpamSlashBps(bps);
        uint256 id = _create(DatanetRegistry.Policy.OwnerApproval);
        vm.prank(OWNER);
        reg.updateSettings(
            id,
            DatanetRegistry.Settings(DatanetRegistry.Policy.OwnerApproval, TREASURY, uint128(amount), 0, 0)
        );
        token.mint(ALICE, 10 * amount); // the top-ups below
        _stake(id, ALICE, amount);
        for (uint256 i = 0; i < n; ++i) {
            bytes32 h = keccak256(abi.encode(i, amount));
            _submit(id, ALICE, h);
            (uint256 before,) = reg.stakeOf(id, ALICE);
            vm.prank(OWNER);
            reg.rejectContributions(id, _one(h), true);
            (uint256 afterSlash,) = reg.stakeOf(id, ALICE);
            assertLe(before - afterSlash, before, "slash <= stake");
            assertEq(before - afterSlash, (before * bps) / 10_000, "slash = stake * bps");
            // A slashed stake may fall below the requirement; top it up so the next spam can be submitted.
            if (afterSlash < amount) _stake(id, ALICE, amount - afterSlash);
        }
        (uint256 finalStake,) = reg.stakeOf(id, ALICE);
        assertEq(token.balanceOf(address(reg)), finalStake + reg.credits(TREASURY), "conservation");
    }

    /// @notice Any content hash registers once; the second attempt reverts whoever makes it.
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_ContentHashRegistersOnce(bytes32 h, bool sameDatanet) public {
        vm.assume(h != bytes32(0));
        uint256 a = _create(DatanetRegistry.Policy.Open);
        uint256 b = sameDatanet ? a : _create(DatanetRegistry.Policy.Open);
        _stake(a, ALICE, STAKE);
        _stake(b, BOB, STAKE);
        _submit(a, ALICE, h);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.DuplicateContribution.selector, h));
        _submit(b, BOB, h);
        assertEq(reg.getDatanet(a).approvedCount + (sameDatanet ? 0 : reg.getDatanet(b).approvedCount), 1, "one leaf");
    }

    /// @notice Daily limits admit exactly `limit` submissions, then refuse until the next day.
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_RateLimitAdmitsExactlyTheLimit(uint8 limit) public {
        uint256 max = bound(limit, 1, 12);
        DatanetRegistry.Settings memory s = _settings(DatanetRegistry.Policy.Open);
        s.maxSubmissionsPerDay = uint32(max);
        vm.prank(OWNER);
        uint256 id = reg.createDatanet("n", "MIT", "", s);
        _stake(id, ALICE, STAKE);
        for (uint256 i = 0; i < max; ++i) {
            _submit(id, ALICE, keccak256(abi.encode(i)));
        }
        vm.expectRevert(DatanetRegistry.RateLimited.selector);
        _submit(id, ALICE, keccak256(abi.encode(max)));
        assertEq(reg.currentVersion(id), max, "one version per accepted submission");
    }

    /// @notice The stored penalty decays linearly: score(t) = s × (30d − t) / 30d, and the payout scale follows.
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_PenaltyDecay(uint32 elapsed) public {
        uint256 t = bound(elapsed, 0, 40 days);
        uint256 id = _create(DatanetRegistry.Policy.OwnerApproval);
        _stake(id, ALICE, STAKE);
        _submit(id, ALICE, keccak256("s"));
        vm.prank(OWNER);
        reg.rejectContributions(id, _one(keccak256("s")), true);
        vm.warp(block.timestamp + t);
        uint256 expected = t >= 30 days ? 0 : (1e18 * (30 days - t)) / 30 days;
        assertEq(reg.penaltyScore(ALICE), expected, "decayed score");
        assertEq(reg.payoutScaleWad(ALICE), 1e18 - (expected * 1e18) / 3e18, "scale");
    }
}

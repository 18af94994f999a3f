// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ModelRegistry} from "../models/ModelRegistry.sol";
import {IModelRegistry} from "../models/IModelRegistry.sol";
import {AttributionFixture} from "../test/AttributionFixture.sol";
import {MerkleHelper} from "../test/MerkleHelper.sol";
import {FeeOnTransferERC20} from "../test/MockERC20.sol";
import {Test} from "../test/Vm.sol";
import {OpenToken} from "../token/OpenToken.sol";
import {AttributionRewards} from "./AttributionRewards.sol";

contract AttributionRewardsTest is Test, AttributionFixture {
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant EVE = address(0xEE);

    // _pay(1000, 1000): model fee 0.004 OPEN = 1.2e15 owner + 2e15 contributors + 0.8e15 protocol; +0.2e15 platform.
    uint256 internal constant FEE = 4e15;
    uint256 internal constant CONTRIB = 2e15;

    function setUp() public {
        _deployFixture();
    }

    /// @dev Pays two inferences in epoch 0, ends the epoch, settles with leaves ALICE 1.5e15 / BOB 2.5e15.
    function _settledEpoch0() internal returns (bytes32[] memory tree) {
        return _settledTwoPayments(0);
    }

    /// @dev Pays two inferences in the current epoch `epoch`, ends it, settles leaves 0: ALICE 1.5e15, 1: BOB 2.5e15.
    function _settledTwoPayments(uint64 epoch) internal returns (bytes32[] memory tree) {
        _pay(1000, 1000);
        _pay(1000, 1000);
        vm.warp(block.timestamp + EPOCH);
        address[] memory a = new address[](2);
        uint256[] memory v = new uint256[](2);
        (a[0], a[1], v[0], v[1]) = (ALICE, BOB, 1.5e15, 2.5e15);
        tree = _tree(epoch, a, v);
        AttributionRewards.SettlementInput memory s = _input(epoch, tree[0], 2);
        vm.prank(attestor);
        rewards.settle(s);
    }

    function _claim(bytes32[] memory tree, uint256 index, address who, uint256 amount) internal {
        rewards.claim(0, index, who, amount, _proof(tree, 0, index, who, amount));
    }

    // ---------------------------------------------------------------- constructor

    function test_ConstructorValidatesArguments() public {
        IERC20 t = IERC20(address(token));
        IModelRegistry m = IModelRegistry(address(models));
        vm.expectRevert(AttributionRewards.ZeroAddress.selector);
        new AttributionRewards(IERC20(address(0)), m, ADMIN, GUARDIAN, TREASURY, EPOCH, WINDOW, 0, 0);
        vm.expectRevert(AttributionRewards.ZeroAddress.selector);
        new AttributionRewards(t, IModelRegistry(address(0)), ADMIN, GUARDIAN, TREASURY, EPOCH, WINDOW, 0, 0);
        vm.expectRevert(AttributionRewards.ZeroAddress.selector);
        new AttributionRewards(t, m, address(0), GUARDIAN, TREASURY, EPOCH, WINDOW, 0, 0);
        vm.expectRevert(AttributionRewards.ZeroAddress.selector);
        new AttributionRewards(t, m, ADMIN, address(0), TREASURY, EPOCH, WINDOW, 0, 0);
        vm.expectRevert(AttributionRewards.ZeroAddress.selector);
        new AttributionRewards(t, m, ADMIN, GUARDIAN, address(0), EPOCH, WINDOW, 0, 0);
        vm.expectRevert(AttributionRewards.ParamOutOfBounds.selector);
        new AttributionRewards(t, m, ADMIN, GUARDIAN, TREASURY, 0, WINDOW, 0, 0);
        vm.expectRevert(AttributionRewards.ParamOutOfBounds.selector);
        new AttributionRewards(t, m, ADMIN, GUARDIAN, TREASURY, EPOCH, 59, 0, 0);
        vm.expectRevert(AttributionRewards.ParamOutOfBounds.selector);
        new AttributionRewards(t, m, ADMIN, GUARDIAN, TREASURY, EPOCH, 30 days + 1, 0, 0);
    }

    function test_ConstructorSetsRolesAndParams() public view {
        assertTrue(rewards.hasRole(rewards.DEFAULT_ADMIN_ROLE(), ADMIN), "admin");
        assertTrue(rewards.hasRole(rewards.GUARDIAN_ROLE(), GUARDIAN), "guardian");
        assertEq(rewards.getRoleAdmin(rewards.ATTESTOR_ROLE()), rewards.DEFAULT_ADMIN_ROLE(), "attestor admin");
        assertEq(rewards.protocolTreasury(), TREASURY, "treasury");
        assertEq(rewards.platformFeeBps(), 500, "platform fee 5%");
        assertEq(rewards.challengeWindow(), WINDOW, "window");
        assertEq(rewards.minAttestorBond(), MIN_BOND, "min bond");
        assertEq(rewards.challengeBond(), CHALLENGE_BOND, "challenge bond");
        assertEq(rewards.epochLength(), EPOCH, "epoch length");
        assertEq(rewards.genesisTime(), block.timestamp, "genesis");
        assertEq(rewards.currentEpoch(), 0, "epoch 0");
    }

    // ---------------------------------------------------------------- payments

    function test_PayInferenceSplitsAndEscrows() public {
        uint256 appBefore = token.balanceOf(APP);
        AttributionRewards.Payment memory expected = AttributionRewards.Payment({
            epoch: 0,
            inTokens: 1000,
            outTokens: 1000,
            modelFee: FEE,
            platformFee: 0.2e15,
            ownerPart: 1.2e15,
            contributorsPart: CONTRIB,
            protocolPart: 0.8e15,
            requestRef: keccak256(abi.encode(uint64(1000)))
        });
        vm.expectEmit(true, true, true, true, address(rewards));
        emit AttributionRewards.InferencePaid(0, modelId, APP, expected);
        uint256 id = _pay(1000, 1000);
        assertEq(id, 0, "first inference of epoch 0");
        assertEq(appBefore - token.balanceOf(APP), 4.2e15, "app paid model fee + 5%");
        assertEq(token.balanceOf(address(rewards)) - MIN_BOND, 4.2e15, "contract holds it");
        assertEq(rewards.withdrawable(BUILDER), 1.2e15, "owner part");
        assertEq(rewards.withdrawable(TREASURY), 0.8e15 + 0.2e15, "protocol part + platform fee");
        AttributionRewards.Escrow memory e = rewards.getEscrow(0);
        assertEq(e.contributors, CONTRIB, "contributors escrowed");
        assertEq(e.inferenceCount, 1, "count");

        vm.warp(block.timestamp + 3 * EPOCH);
        id = _pay(1000, 1000);
        assertEq(id, (uint256(3) << 64) | 0, "id = epoch << 64 | index");
        id = _pay(1000, 1000);
        assertEq(id, (uint256(3) << 64) | 1, "second of epoch 3");
    }

    function test_QuoteMatchesPayment() public view {
        (uint256 fee, uint256 platform, uint256 o, uint256 c, uint256 p) = rewards.quote(modelId, 1000, 1000);
        assertEq(fee, FEE, "fee");
        assertEq(platform, 0.2e15, "platform");
        assertEq(o + c + p, fee, "parts sum");
        assertEq(c, CONTRIB, "contributors");
    }

    function test_PayInferenceRevertPaths() public {
        vm.startPrank(APP);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.FeeAboveMax.selector, 4.2e15, 4.2e15 - 1));
        rewards.payInference(modelId, 1000, 1000, 4.2e15 - 1, bytes32(0));
        vm.expectRevert(AttributionRewards.ZeroFee.selector);
        rewards.payInference(modelId, 0, 0, type(uint256).max, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 42));
        rewards.payInference(42, 1, 1, type(uint256).max, bytes32(0));
        vm.stopPrank();
        vm.prank(BUILDER);
        models.deprecate(modelId);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.ModelNotActive.selector, modelId));
        _pay(1000, 1000);
    }

    function test_PayInferenceWithoutAllowanceReverts() public {
        vm.prank(APP);
        token.approve(address(rewards), 0);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(rewards), 0, 4.2e15)
        );
        _pay(1000, 1000);
    }

    function test_FeeOnTransferTokenIsRefused() public {
        FeeOnTransferERC20 taxed = new FeeOnTransferERC20();
        AttributionRewards r = new AttributionRewards(
            IERC20(address(taxed)), IModelRegistry(address(models)), ADMIN, GUARDIAN, TREASURY, EPOCH, WINDOW, 0, 0
        );
        taxed.mint(APP, 1e18);
        vm.startPrank(APP);
        taxed.approve(address(r), type(uint256).max);
        vm.expectRevert(AttributionRewards.UnsupportedToken.selector);
        r.payInference(modelId, 1000, 1000, type(uint256).max, bytes32(0));
        vm.stopPrank();
    }

    function test_PayWithPermitOnAPermitToken() public {
        uint256 pk = 0xA99;
        address app = vm.addr(pk);
        OpenToken open = new OpenToken(app);
        AttributionRewards r = new AttributionRewards(
            IERC20(address(open)), IModelRegistry(address(models)), ADMIN, GUARDIAN, TREASURY, EPOCH, WINDOW, 0, 0
        );
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                app,
                address(r),
                4.2e15,
                0,
                deadline
            )
        );
        (uint8 v, bytes32 rr, bytes32 s) =
            vm.sign(pk, keccak256(abi.encodePacked("\x19\x01", open.DOMAIN_SEPARATOR(), structHash)));
        vm.prank(app);
        r.payInferenceWithPermit(modelId, 1000, 1000, 4.2e15, bytes32(0), deadline, v, rr, s);
        assertEq(open.balanceOf(address(r)), 4.2e15, "paid through permit, no approve tx");
        assertEq(open.allowance(app, address(r)), 0, "permit allowance used up");
        // The same permit again (a front-runner could have used it first): ignored, the missing allowance decides.
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(r), 0, 4.2e15)
        );
        vm.prank(app);
        r.payInferenceWithPermit(modelId, 1000, 1000, 4.2e15, bytes32(0), deadline, v, rr, s);
    }

    function test_PayWithPermitFallsBackToAllowanceWhenTokenHasNoPermit() public {
        vm.prank(APP);
        rewards.payInferenceWithPermit(modelId, 1000, 1000, 4.2e15, bytes32(0), 0, 0, bytes32(0), bytes32(0));
        assertEq(rewards.getEscrow(0).inferenceCount, 1, "paid with the existing allowance");
    }

    // ---------------------------------------------------------------- settlement

    function test_SettleStoresSettlementAndLocksBond() public {
        _pay(1000, 1000);
        _pay(1000, 1000);
        vm.warp(block.timestamp + EPOCH);
        AttributionRewards.SettlementInput memory s = _input(0, keccak256("root"), 2);
        vm.expectEmit(true, true, false, true, address(rewards));
        emit AttributionRewards.Settled(
            0, attestor, 0, s.rewardsRoot, s.inferencesRoot, 2 * CONTRIB, 2, 2, uint48(block.timestamp + WINDOW)
        );
        vm.prank(attestor);
        rewards.settle(s);
        AttributionRewards.Settlement memory st = rewards.getSettlement(0);
        assertTrue(st.status == AttributionRewards.Status.Posted, "posted");
        assertEq(st.rewardsRoot, keccak256("root"), "root");
        assertEq(st.totalAmount, 2 * CONTRIB, "total");
        assertEq(st.attestor, attestor, "attestor");
        assertEq(st.claimsOpenAt, block.timestamp + WINDOW, "claims open after the window");
        assertEq(rewards.bondOf(attestor).lockedUntil, block.timestamp + WINDOW, "bond locked");
    }

    function test_SettleRevertPaths() public {
        _pay(1000, 1000);
        AttributionRewards.SettlementInput memory s = _input(0, keccak256("root"), 1);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.EpochNotEnded.selector, 0));
        vm.prank(attestor);
        rewards.settle(s);
        vm.warp(block.timestamp + 2 * EPOCH);

        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NotBondedAttestor.selector, EVE));
        vm.prank(EVE);
        rewards.settle(s);
        AttributionRewards.SettlementInput memory in2 = _input(1, keccak256("root"), 1);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NothingToSettle.selector, 1));
        vm.prank(attestor);
        rewards.settle(in2);

        s.totalAmount += 1;
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.TotalsMismatch.selector, CONTRIB + 1, CONTRIB, 1, 1));
        vm.prank(attestor);
        rewards.settle(s);
        s = _input(0, keccak256("root"), 1);
        s.inferenceCount = 2;
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.TotalsMismatch.selector, CONTRIB, CONTRIB, 2, 1));
        vm.prank(attestor);
        rewards.settle(s);

        s = _input(0, bytes32(0), 1);
        vm.expectRevert(AttributionRewards.InvalidSettlement.selector);
        vm.prank(attestor);
        rewards.settle(s);
        s = _input(0, keccak256("root"), 0);
        vm.expectRevert(AttributionRewards.InvalidSettlement.selector);
        vm.prank(attestor);
        rewards.settle(s);
        s = _input(0, keccak256("root"), 1);
        s.inferencesRoot = bytes32(0);
        vm.expectRevert(AttributionRewards.InvalidSettlement.selector);
        vm.prank(attestor);
        rewards.settle(s);

        s = _input(0, keccak256("root"), 1);
        vm.prank(attestor);
        rewards.settle(s);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.AlreadySettled.selector, 0));
        vm.prank(attestor);
        rewards.settle(s);
    }

    function test_OnlyBondedAttestorsSettle() public {
        _pay(1000, 1000);
        vm.warp(block.timestamp + EPOCH);
        AttributionRewards.SettlementInput memory s = _input(0, keccak256("root"), 1);
        // Bonded but not admitted.
        _fund(EVE, MIN_BOND);
        vm.prank(EVE);
        rewards.depositBond(MIN_BOND);
        assertFalse(rewards.isBondedAttestor(EVE), "no role");
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NotBondedAttestor.selector, EVE));
        vm.prank(EVE);
        rewards.settle(s);
        // Admitted but under-bonded after governance raises the bar.
        vm.prank(ADMIN);
        rewards.setBonds(MIN_BOND + 1, CHALLENGE_BOND);
        assertFalse(rewards.isBondedAttestor(attestor), "under-bonded");
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NotBondedAttestor.selector, attestor));
        vm.prank(attestor);
        rewards.settle(s);
        vm.prank(attestor);
        rewards.depositBond(1);
        vm.prank(attestor);
        rewards.settle(s);
        assertEq(rewards.getSettlement(0).attestor, attestor, "settled once bonded");
    }

    function test_SettleWithSignatureFromAnyRelayer() public {
        _pay(1000, 1000);
        vm.warp(block.timestamp + EPOCH);
        AttributionRewards.SettlementInput memory s = _input(0, keccak256("root"), 1);
        bytes memory sig = _sign(ATTESTOR_PK, s);
        vm.prank(EVE);
        rewards.settleWithSignature(s, attestor, sig);
        assertEq(rewards.getSettlement(0).attestor, attestor, "attestor recorded, not the relayer");
    }

    function test_SettlementDigestIsEip712WithChainIdAndAttempt() public view {
        AttributionRewards.SettlementInput memory s = _input(0, keccak256("root"), 1);
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("OpenLedger AttributionRewards"),
                keccak256("1"),
                block.chainid,
                address(rewards)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                rewards.SETTLEMENT_TYPEHASH(),
                s.epoch,
                uint32(0),
                s.rewardsRoot,
                s.inferencesRoot,
                s.totalAmount,
                s.inferenceCount,
                s.leafCount
            )
        );
        assertEq(
            rewards.settlementDigest(s), keccak256(abi.encodePacked("\x19\x01", domain, structHash)), "EIP-712 digest"
        );
    }

    function test_SettleWithSignatureRejectsBadSignatures() public {
        _pay(1000, 1000);
        vm.warp(block.timestamp + EPOCH);
        AttributionRewards.SettlementInput memory s = _input(0, keccak256("root"), 1);
        bytes memory sig = _sign(ATTESTOR_PK, s);
        bytes memory badSig = _sign(0xBAD, s);
        // Someone else's key.
        vm.expectRevert(AttributionRewards.InvalidSignature.selector);
        rewards.settleWithSignature(s, attestor, badSig);
        // A field changed after signing.
        AttributionRewards.SettlementInput memory t = _input(0, keccak256("other root"), 1);
        vm.expectRevert(AttributionRewards.InvalidSignature.selector);
        rewards.settleWithSignature(t, attestor, sig);
        // Signed for another chain.
        vm.chainId(block.chainid + 1);
        vm.expectRevert(AttributionRewards.InvalidSignature.selector);
        rewards.settleWithSignature(s, attestor, sig);
        vm.chainId(block.chainid - 1);
        // A valid signature of an unbonded signer.
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NotBondedAttestor.selector, vm.addr(0xBAD)));
        rewards.settleWithSignature(s, vm.addr(0xBAD), badSig);
    }

    function test_VoidedSettlementSignatureCannotBeReplayed() public {
        _pay(1000, 1000);
        vm.warp(block.timestamp + EPOCH);
        AttributionRewards.SettlementInput memory s = _input(0, keccak256("bad root"), 1);
        bytes memory sig = _sign(ATTESTOR_PK, s);
        rewards.settleWithSignature(s, attestor, sig);
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("evidence"), "ipfs://evidence");
        vm.prank(ADMIN);
        rewards.resolveChallenge(0, true, 10e18);
        assertEq(rewards.getEscrow(0).attempt, 1, "attempt bumped");
        vm.expectRevert(AttributionRewards.InvalidSignature.selector);
        rewards.settleWithSignature(s, attestor, sig);
        // A fresh signature for the new attempt settles (once the slashed bond is topped up).
        vm.prank(attestor);
        rewards.depositBond(10e18);
        rewards.settleWithSignature(s, attestor, _sign(ATTESTOR_PK, s));
        assertTrue(rewards.getSettlement(0).status == AttributionRewards.Status.Posted, "re-settled");
    }

    // ---------------------------------------------------------------- challenges

    function test_ChallengeFreezesClaimsAndPullsBond() public {
        bytes32[] memory tree = _settledEpoch0();
        uint256 before = token.balanceOf(CHALLENGER);
        vm.expectEmit(true, true, true, true, address(rewards));
        emit AttributionRewards.Challenged(0, CHALLENGER, attestor, keccak256("evidence"), "ipfs://evidence");
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("evidence"), "ipfs://evidence");
        assertEq(before - token.balanceOf(CHALLENGER), CHALLENGE_BOND, "bond pulled");
        assertTrue(rewards.getSettlement(0).status == AttributionRewards.Status.Challenged, "challenged");
        assertEq(rewards.bondOf(attestor).openChallenges, 1, "open challenge");
        assertEq(rewards.getChallenge(0).challenger, CHALLENGER, "challenger");
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.ClaimsNotOpen.selector, 0));
        _claim(tree, 0, ALICE, 1.5e15);
    }

    function test_ChallengeRevertPaths() public {
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NotChallengeable.selector, 0));
        rewards.challenge(0, keccak256("e"), "");
        _settledEpoch0();
        vm.expectRevert(AttributionRewards.InvalidSettlement.selector);
        vm.prank(CHALLENGER);
        rewards.challenge(0, bytes32(0), "");
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("e"), "");
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NotChallengeable.selector, 0));
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("e"), "");
        vm.prank(ADMIN);
        rewards.resolveChallenge(0, false, 0);
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.ChallengeWindowClosed.selector, 0));
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("e"), "");
    }

    function test_UpheldChallengeSlashesVoidsAndRewardsChallenger() public {
        _settledEpoch0();
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("e"), "");
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.SlashExceedsBond.selector, MIN_BOND + 1, MIN_BOND));
        vm.prank(ADMIN);
        rewards.resolveChallenge(0, true, MIN_BOND + 1);
        vm.expectEmit(true, false, false, true, address(rewards));
        emit AttributionRewards.ChallengeResolved(0, true, 400e18, 200e18);
        vm.prank(ADMIN);
        rewards.resolveChallenge(0, true, 400e18);
        assertEq(rewards.bondOf(attestor).amount, MIN_BOND - 400e18, "bond slashed");
        assertEq(rewards.bondOf(attestor).openChallenges, 0, "no open challenge");
        assertEq(rewards.withdrawable(CHALLENGER), CHALLENGE_BOND + 200e18, "bond back + half the slash");
        assertEq(rewards.withdrawable(TREASURY), 0.8e15 * 2 + 0.2e15 * 2 + 200e18, "treasury gets the other half");
        assertTrue(rewards.getSettlement(0).status == AttributionRewards.Status.None, "voided");
        assertEq(rewards.getChallenge(0).challenger, address(0), "challenge cleared");
        // The epoch's escrow is intact and can be settled again (the slashed attestor is now under-bonded).
        assertEq(rewards.getEscrow(0).contributors, 2 * CONTRIB, "escrow intact");
        AttributionRewards.SettlementInput memory in3 = _input(0, keccak256("fixed"), 2);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NotBondedAttestor.selector, attestor));
        vm.prank(attestor);
        rewards.settle(in3);
    }

    function test_RejectedChallengeKeepsSettlementAndForfeitsBond() public {
        bytes32[] memory tree = _settledEpoch0();
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("e"), "");
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(AttributionRewards.ParamOutOfBounds.selector);
        vm.prank(ADMIN);
        rewards.resolveChallenge(0, false, 1);
        vm.prank(ADMIN);
        rewards.resolveChallenge(0, false, 0);
        assertEq(rewards.withdrawable(TREASURY), 2e15 + CHALLENGE_BOND, "forfeited bond to treasury");
        assertEq(rewards.bondOf(attestor).amount, MIN_BOND, "attestor untouched");
        _claim(tree, 0, ALICE, 1.5e15);
        assertEq(token.balanceOf(ALICE), 1.5e15, "claims open right away after a late rejection");
    }

    function test_ResolveChallengeRevertPaths() public {
        _settledEpoch0();
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NotChallenged.selector, 0));
        vm.prank(ADMIN);
        rewards.resolveChallenge(0, true, 0);
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("e"), "");
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, GUARDIAN, rewards.DEFAULT_ADMIN_ROLE()
            )
        );
        vm.prank(GUARDIAN);
        rewards.resolveChallenge(0, true, 0);
    }

    // ---------------------------------------------------------------- claims

    function test_ClaimPaysOnceAfterTheWindow() public {
        bytes32[] memory tree = _settledEpoch0();
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.ClaimsNotOpen.selector, 0));
        _claim(tree, 0, ALICE, 1.5e15);
        vm.warp(block.timestamp + WINDOW);
        vm.expectEmit(true, true, false, true, address(rewards));
        emit AttributionRewards.Claimed(0, ALICE, 1.5e15);
        vm.prank(EVE); // anyone may submit; the tokens go to the account
        _claim(tree, 0, ALICE, 1.5e15);
        assertEq(token.balanceOf(ALICE), 1.5e15, "alice paid");
        assertEq(token.balanceOf(EVE), 0, "submitter gets nothing");
        assertTrue(rewards.isClaimed(0, 0), "marked");
        assertFalse(rewards.isClaimed(0, 1), "bob's leaf not marked");
        assertEq(rewards.getSettlement(0).claimedAmount, 1.5e15, "claimed total");
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.AlreadyClaimed.selector, 0, 0));
        _claim(tree, 0, ALICE, 1.5e15);
        _claim(tree, 1, BOB, 2.5e15);
        assertEq(rewards.getSettlement(0).claimedAmount, rewards.getSettlement(0).totalAmount, "fully claimed");
    }

    /// @dev Leaves 255 and 256 sit in different bitmap words; each flag is its own bit.
    function test_ClaimedBitmapKeysLeavesByIndex() public {
        _pay(1000, 1000);
        _pay(1000, 1000);
        vm.warp(block.timestamp + EPOCH);
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = MerkleHelper.leaf(0, 255, ALICE, 1.5e15);
        leaves[1] = MerkleHelper.leaf(0, 256, BOB, 2.5e15);
        bytes32[] memory tree = MerkleHelper.build(leaves);
        AttributionRewards.SettlementInput memory s = _input(0, tree[0], 257);
        vm.prank(attestor);
        rewards.settle(s);
        vm.warp(block.timestamp + WINDOW);
        rewards.claim(0, 256, BOB, 2.5e15, _proof(tree, 0, 256, BOB, 2.5e15));
        assertTrue(rewards.isClaimed(0, 256), "256 claimed");
        assertFalse(rewards.isClaimed(0, 255), "255 open");
        assertFalse(rewards.isClaimed(0, 0), "0 open");
        rewards.claim(0, 255, ALICE, 1.5e15, _proof(tree, 0, 255, ALICE, 1.5e15));
        assertTrue(rewards.isClaimed(0, 255), "255 claimed");
        assertFalse(rewards.isClaimed(0, 257), "257 open");
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.AlreadyClaimed.selector, 0, 256));
        rewards.claim(0, 256, BOB, 2.5e15, _proof(tree, 0, 256, BOB, 2.5e15));
        assertEq(token.balanceOf(ALICE) + token.balanceOf(BOB), 4e15, "both paid once");
    }

    function test_ClaimRevertPaths() public {
        bytes32[] memory tree = _settledEpoch0();
        vm.warp(block.timestamp + WINDOW);
        bytes32[] memory proof = _proof(tree, 0, 0, ALICE, 1.5e15);
        vm.expectRevert(AttributionRewards.InvalidProof.selector);
        rewards.claim(0, 0, ALICE, 1.5e15 + 1, proof);
        vm.expectRevert(AttributionRewards.InvalidProof.selector);
        rewards.claim(0, 0, EVE, 1.5e15, proof);
        vm.expectRevert(AttributionRewards.InvalidProof.selector);
        rewards.claim(0, 1, ALICE, 1.5e15, proof); // the index is part of the leaf
        vm.expectRevert(AttributionRewards.ZeroAmount.selector);
        rewards.claim(0, 0, ALICE, 0, proof);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.ClaimsNotOpen.selector, 5));
        rewards.claim(5, 0, ALICE, 1.5e15, proof);
    }

    /// @dev Two epochs with the same payouts: a proof of epoch 0 does not verify against epoch 1's root.
    function test_LeafBindsItsEpoch() public {
        bytes32[] memory tree0 = _settledEpoch0();
        bytes32[] memory tree1 = _settledTwoPayments(1);
        assertTrue(tree1[0] != tree0[0], "same payouts, different roots");
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(AttributionRewards.InvalidProof.selector);
        rewards.claim(1, 0, ALICE, 1.5e15, _proof(tree0, 0, 0, ALICE, 1.5e15));
        rewards.claim(1, 0, ALICE, 1.5e15, _proof(tree1, 1, 0, ALICE, 1.5e15));
        assertTrue(rewards.isClaimed(1, 0), "epoch 1 leaf 0 claimed");
        assertFalse(rewards.isClaimed(0, 0), "epoch 0 leaf 0 still open");
    }

    function test_PauseBlocksClaimsUntilUnpaused() public {
        bytes32[] memory tree = _settledEpoch0();
        vm.warp(block.timestamp + WINDOW);
        vm.prank(GUARDIAN);
        rewards.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _claim(tree, 0, ALICE, 1.5e15);
        AttributionRewards.ClaimRequest[] memory batch = new AttributionRewards.ClaimRequest[](1);
        batch[0] = AttributionRewards.ClaimRequest(0, 0, ALICE, 1.5e15, _proof(tree, 0, 0, ALICE, 1.5e15));
        vm.expectRevert(Pausable.EnforcedPause.selector);
        rewards.claimMany(batch);
        vm.prank(GUARDIAN);
        rewards.unpause();
        _claim(tree, 0, ALICE, 1.5e15);
        assertEq(token.balanceOf(ALICE), 1.5e15, "claimable again after unpause");
    }

    function test_AnOverfullRootCannotPayMoreThanTheEscrow() public {
        _pay(1000, 1000); // escrow 2e15
        vm.warp(block.timestamp + EPOCH);
        address[] memory a = new address[](2);
        uint256[] memory v = new uint256[](2);
        (a[0], a[1], v[0], v[1]) = (ALICE, BOB, 1.5e15, 1.5e15); // leaves sum to 3e15 > 2e15
        bytes32[] memory tree = _tree(0, a, v);
        AttributionRewards.SettlementInput memory in4 = _input(0, tree[0], 2);
        vm.prank(attestor);
        rewards.settle(in4);
        vm.warp(block.timestamp + WINDOW);
        _claim(tree, 0, ALICE, 1.5e15);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.ExceedsSettlement.selector, 0));
        _claim(tree, 1, BOB, 1.5e15);
        assertEq(rewards.getSettlement(0).claimedAmount, 1.5e15, "never above the escrow");
    }

    function test_ClaimManyAcrossEpochsPaysOneTransferPerAccount() public {
        bytes32[] memory tree0 = _settledEpoch0();
        _pay(2000, 0); // epoch 1: fee 2e15, contributors 1e15
        vm.warp(block.timestamp + EPOCH);
        address[] memory a = new address[](1);
        uint256[] memory v = new uint256[](1);
        (a[0], v[0]) = (ALICE, 1e15);
        bytes32[] memory tree1 = _tree(1, a, v);
        AttributionRewards.SettlementInput memory in5 = _input(1, tree1[0], 1);
        vm.prank(attestor);
        rewards.settle(in5);
        vm.warp(block.timestamp + WINDOW);

        AttributionRewards.ClaimRequest[] memory batch = new AttributionRewards.ClaimRequest[](3);
        batch[0] = AttributionRewards.ClaimRequest(0, 0, ALICE, 1.5e15, _proof(tree0, 0, 0, ALICE, 1.5e15));
        batch[1] = AttributionRewards.ClaimRequest(1, 0, ALICE, 1e15, _proof(tree1, 1, 0, ALICE, 1e15)); // single leaf: []
        batch[2] = AttributionRewards.ClaimRequest(0, 1, BOB, 2.5e15, _proof(tree0, 0, 1, BOB, 2.5e15));
        rewards.claimMany(batch);
        assertEq(token.balanceOf(ALICE), 2.5e15, "alice, two epochs");
        assertEq(token.balanceOf(BOB), 2.5e15, "bob");
        assertTrue(rewards.isClaimed(1, 0), "epoch 1 leaf marked");
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.AlreadyClaimed.selector, 0, 0));
        rewards.claimMany(batch);
    }

    function test_ClaimManyBatchBoundsAndDuplicates() public {
        bytes32[] memory tree = _settledEpoch0();
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.BatchSize.selector, 0));
        rewards.claimMany(new AttributionRewards.ClaimRequest[](0));
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.BatchSize.selector, 65));
        rewards.claimMany(new AttributionRewards.ClaimRequest[](65));
        AttributionRewards.ClaimRequest[] memory batch = new AttributionRewards.ClaimRequest[](2);
        batch[0] = AttributionRewards.ClaimRequest(0, 0, ALICE, 1.5e15, _proof(tree, 0, 0, ALICE, 1.5e15));
        batch[1] = batch[0];
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.AlreadyClaimed.selector, 0, 0));
        rewards.claimMany(batch);
    }

    // ---------------------------------------------------------------- withdrawals and bonds

    function test_OwnerAndTreasuryWithdraw() public {
        _pay(1000, 1000);
        vm.prank(BUILDER);
        assertEq(rewards.withdraw(), 1.2e15, "owner part");
        assertEq(token.balanceOf(BUILDER), 1.2e15, "owner balance");
        vm.prank(TREASURY);
        rewards.withdraw();
        assertEq(token.balanceOf(TREASURY), 1e15, "protocol + platform");
        vm.expectRevert(AttributionRewards.ZeroAmount.selector);
        vm.prank(BUILDER);
        rewards.withdraw();
        _pay(1000, 1000);
        vm.prank(GUARDIAN);
        rewards.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(BUILDER);
        rewards.withdraw();
    }

    function test_BondLockedThroughTheWindowAndChallenges() public {
        _settledEpoch0();
        vm.expectRevert(
            abi.encodeWithSelector(AttributionRewards.BondLocked.selector, block.timestamp + WINDOW, 0)
        );
        vm.prank(attestor);
        rewards.withdrawBond(1);
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("e"), "");
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.BondLocked.selector, block.timestamp, 1));
        vm.prank(attestor);
        rewards.withdrawBond(1);
        vm.prank(ADMIN);
        rewards.resolveChallenge(0, false, 0);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.InsufficientBond.selector, MIN_BOND + 1, MIN_BOND));
        vm.prank(attestor);
        rewards.withdrawBond(MIN_BOND + 1);
        vm.expectRevert(AttributionRewards.ZeroAmount.selector);
        vm.prank(attestor);
        rewards.withdrawBond(0);
        uint256 before = token.balanceOf(attestor);
        vm.prank(attestor);
        rewards.withdrawBond(MIN_BOND);
        assertEq(token.balanceOf(attestor) - before, MIN_BOND, "bond back");
        assertFalse(rewards.isBondedAttestor(attestor), "no longer bonded");
        vm.expectRevert(AttributionRewards.ZeroAmount.selector);
        vm.prank(attestor);
        rewards.depositBond(0);
    }

    // ---------------------------------------------------------------- governance and guardian

    function test_GovernanceSettersAreBoundedAndRoleGated() public {
        bytes memory denied = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector, EVE, rewards.DEFAULT_ADMIN_ROLE()
        );
        vm.startPrank(EVE);
        vm.expectRevert(denied);
        rewards.setProtocolTreasury(EVE);
        vm.expectRevert(denied);
        rewards.setPlatformFeeBps(1);
        vm.expectRevert(denied);
        rewards.setChallengeWindow(1 hours);
        vm.expectRevert(denied);
        rewards.setBonds(0, 0);
        bytes32 attestorRole = rewards.ATTESTOR_ROLE();
        vm.expectRevert(denied);
        rewards.grantRole(attestorRole, EVE);
        vm.stopPrank();

        vm.startPrank(ADMIN);
        vm.expectRevert(AttributionRewards.ZeroAddress.selector);
        rewards.setProtocolTreasury(address(0));
        rewards.setProtocolTreasury(BOB);
        assertEq(rewards.protocolTreasury(), BOB, "treasury");
        vm.expectRevert(AttributionRewards.ParamOutOfBounds.selector);
        rewards.setPlatformFeeBps(2_001);
        rewards.setPlatformFeeBps(2_000);
        assertEq(rewards.platformFeeBps(), 2_000, "platform fee");
        vm.expectRevert(AttributionRewards.ParamOutOfBounds.selector);
        rewards.setChallengeWindow(59);
        vm.expectRevert(AttributionRewards.ParamOutOfBounds.selector);
        rewards.setChallengeWindow(30 days + 1);
        vm.expectEmit(false, false, false, true, address(rewards));
        emit AttributionRewards.ChallengeWindowSet(2 days);
        rewards.setChallengeWindow(2 days);
        assertEq(rewards.challengeWindow(), 2 days, "window");
        rewards.setBonds(5, 6);
        assertEq(rewards.minAttestorBond(), 5, "min bond");
        assertEq(rewards.challengeBond(), 6, "challenge bond");
        vm.stopPrank();
        (, uint256 platform,,,) = rewards.quote(modelId, 1000, 1000);
        assertEq(platform, 0.8e15, "20% platform fee applies");
    }

    function test_PauseIsGuardianOnlyAndBlocksMoneyPaths() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, ADMIN, rewards.GUARDIAN_ROLE())
        );
        vm.prank(ADMIN);
        rewards.pause();
        _settledEpoch0();
        vm.prank(GUARDIAN);
        rewards.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _pay(1000, 1000);
        AttributionRewards.SettlementInput memory in6 = _input(1, keccak256("r"), 1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(attestor);
        rewards.settle(in6);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(attestor);
        rewards.depositBond(1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(attestor);
        rewards.withdrawBond(1);
        // Challenges stay open while paused: a pause must not let a bad settlement slip through its window.
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("e"), "");
        vm.prank(ADMIN);
        rewards.resolveChallenge(0, true, 1);
        vm.prank(GUARDIAN);
        rewards.unpause();
        assertFalse(rewards.paused(), "unpaused");
    }

    function test_EpochViews() public {
        assertEq(rewards.epochStart(0), rewards.genesisTime(), "epoch 0 start");
        assertEq(rewards.epochStart(5), rewards.genesisTime() + 5 * EPOCH, "epoch 5 start");
        vm.warp(rewards.genesisTime() + 5 * EPOCH - 1);
        assertEq(rewards.currentEpoch(), 4, "last second of epoch 4");
        vm.warp(rewards.genesisTime() + 5 * EPOCH);
        assertEq(rewards.currentEpoch(), 5, "epoch 5");
        assertEq(rewards.leafHash(3, 2, ALICE, 7), MerkleHelper.leaf(3, 2, ALICE, 7), "StandardMerkleTree leaf");
    }

    // ---------------------------------------------------------------- fuzz

    /// @notice Any model price, split, platform fee and token counts: the payer pays exactly modelFee + platform
    ///         fee, and the owner credit + escrow + protocol credit account for all of it (split sums to the fee).
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_PaymentSplitSumsExactlyToTheFee(
        uint64 inTokens,
        uint64 outTokens,
        uint96 rateIn,
        uint96 rateOut,
        uint16 ownerBps,
        uint16 protocolBps,
        uint16 platformBps
    ) public {
        inTokens = uint64(bound(inTokens, 0, 1e9));
        outTokens = uint64(bound(outTokens, 0, 1e9));
        rateIn = uint96(bound(rateIn, 0, 1e21));
        rateOut = uint96(bound(rateOut, 1, 1e21));
        uint256 contributorsBps = _setRandomPricing(rateIn, rateOut, ownerBps, protocolBps, platformBps);
        (uint256 fee, uint256 platform,,,) = rewards.quote(modelId, inTokens, outTokens);
        vm.assume(fee > 0);
        assertEq(fee, (uint256(inTokens) * rateIn + uint256(outTokens) * rateOut) / 1000, "fee formula");
        token.mint(APP, fee + platform);
        (uint256 paid, uint256 owner, uint256 contributors, uint256 protocolAndPlatform) = _payAndMeasure(inTokens, outTokens);
        assertEq(owner + contributors + protocolAndPlatform - platform, fee, "split sums to the fee");
        assertEq(paid, fee + platform, "payer paid fee + platform");
        assertLe(contributors - (fee * contributorsBps) / 10_000, 1, "contributors within 1 wei of exact");
    }

    function _setRandomPricing(uint96 rateIn, uint96 rateOut, uint16 ownerBps, uint16 protocolBps, uint16 platformBps)
        internal
        returns (uint256 contributorsBps)
    {
        protocolBps = uint16(bound(protocolBps, 1_000, 7_000));
        ownerBps = uint16(bound(ownerBps, 0, 7_000 - protocolBps));
        contributorsBps = 10_000 - ownerBps - protocolBps;
        vm.prank(BUILDER);
        models.setPricing(modelId, rateIn, rateOut, ModelRegistry.Split(ownerBps, uint16(contributorsBps), protocolBps));
        vm.prank(ADMIN);
        rewards.setPlatformFeeBps(uint16(bound(platformBps, 0, 2_000)));
    }

    function _payAndMeasure(uint64 inTokens, uint64 outTokens)
        internal
        returns (uint256 paid, uint256 owner, uint256 contributors, uint256 protocolAndPlatform)
    {
        uint256 appBefore = token.balanceOf(APP);
        uint256 ownerBefore = rewards.withdrawable(BUILDER);
        uint256 treasuryBefore = rewards.withdrawable(TREASURY);
        uint256 escrowBefore = rewards.getEscrow(0).contributors;
        _pay(inTokens, outTokens);
        paid = appBefore - token.balanceOf(APP);
        owner = rewards.withdrawable(BUILDER) - ownerBefore;
        contributors = rewards.getEscrow(0).contributors - escrowBefore;
        protocolAndPlatform = rewards.withdrawable(TREASURY) - treasuryBefore;
    }

    /// @notice However an epoch's escrow is cut into 1..8 leaves, every leaf pays once, the epoch pays out exactly
    ///         its escrow, and no leaf pays twice.
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_ClaimsPayExactlyTheEscrowOnce(uint256 seed, uint8 payments, uint8 leaves) public {
        uint256 np = bound(payments, 1, 5);
        for (uint256 i = 0; i < np; ++i) {
            _pay(uint64(bound(uint256(keccak256(abi.encode(seed, i))), 1, 1e6)), 1000);
        }
        vm.warp(block.timestamp + EPOCH);
        uint256 total = rewards.getEscrow(0).contributors;
        uint256 n = bound(leaves, 1, 8);
        address[] memory a = new address[](n);
        uint256[] memory v = new uint256[](n);
        uint256 left = total;
        for (uint256 i = 0; i < n; ++i) {
            a[i] = address(uint160(0x1000 + i));
            v[i] = i == n - 1 ? left : bound(uint256(keccak256(abi.encode(seed, "cut", i))), 1, left - (n - 1 - i));
            left -= v[i];
        }
        bytes32[] memory tree = _tree(0, a, v);
        AttributionRewards.SettlementInput memory in7 = _input(0, tree[0], uint32(n));
        vm.prank(attestor);
        rewards.settle(in7);
        vm.warp(block.timestamp + WINDOW);
        for (uint256 i = 0; i < n; ++i) {
            rewards.claim(0, i, a[i], v[i], _proof(tree, 0, i, a[i], v[i]));
            assertEq(token.balanceOf(a[i]), v[i], "leaf paid");
        }
        assertEq(rewards.getSettlement(0).claimedAmount, total, "paid out exactly the escrow");
        uint256 k = seed % n;
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.AlreadyClaimed.selector, 0, k));
        rewards.claim(0, k, a[k], v[k], _proof(tree, 0, k, a[k], v[k]));
    }

    /// @notice A slash is applied only if it fits in the bond; the bond never goes below zero.
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_SlashNeverExceedsBond(uint128 extraBond, uint256 slash) public {
        uint256 extra = bound(extraBond, 0, 1e24);
        if (extra > 0) {
            token.mint(attestor, extra);
            vm.prank(attestor);
            rewards.depositBond(extra);
        }
        _settledEpoch0();
        vm.prank(CHALLENGER);
        rewards.challenge(0, keccak256("e"), "");
        uint256 bond = rewards.bondOf(attestor).amount;
        slash = bound(slash, 0, 2 * bond + 1);
        if (slash > bond) vm.expectRevert(abi.encodeWithSelector(AttributionRewards.SlashExceedsBond.selector, slash, bond));
        vm.prank(ADMIN);
        rewards.resolveChallenge(0, true, slash);
        if (slash <= bond) {
            assertEq(rewards.bondOf(attestor).amount, bond - slash, "bond reduced by the slash");
            assertEq(
                rewards.withdrawable(CHALLENGER) + rewards.withdrawable(TREASURY),
                CHALLENGE_BOND + slash + 2 * (0.8e15 + 0.2e15),
                "slash fully redistributed"
            );
        }
    }

    /// @notice Whoever holds whatever bond: settle succeeds exactly when the account is admitted and bonded.
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_OnlyBondedAttestorsSettle(address who, uint128 bond, bool admitted) public {
        vm.assume(who != address(0) && who != attestor && who != address(rewards));
        uint256 b = bound(bond, 0, 2 * MIN_BOND);
        if (b > 0) {
            _fund(who, b);
            vm.prank(who);
            rewards.depositBond(b);
        }
        if (admitted) {
            bytes32 attestorRole = rewards.ATTESTOR_ROLE();
            vm.prank(ADMIN);
            rewards.grantRole(attestorRole, who);
        }
        _pay(1000, 1000);
        vm.warp(block.timestamp + EPOCH);
        bool ok = admitted && b >= MIN_BOND;
        AttributionRewards.SettlementInput memory in8 = _input(0, keccak256("r"), 1);
        if (!ok) vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NotBondedAttestor.selector, who));
        vm.prank(who);
        rewards.settle(in8);
        assertEq(rewards.getSettlement(0).attestor, ok ? who : address(0), "settled iff bonded");
    }

    /// @notice While paused, no claim of any leaf succeeds.
    /// hardhat-config: fuzz.runs = 1000
    function testFuzz_PausedBlocksEveryClaim(uint256 which, uint256 later) public {
        bytes32[] memory tree = _settledEpoch0();
        vm.warp(block.timestamp + WINDOW + bound(later, 0, 365 days));
        vm.prank(GUARDIAN);
        rewards.pause();
        (uint256 index, address who, uint256 amount) = which % 2 == 0 ? (0, ALICE, 1.5e15) : (1, BOB, 2.5e15);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _claim(tree, index, who, amount);
        assertEq(token.balanceOf(who), 0, "nothing paid");
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AttributionRewards} from "./AttributionRewards.sol";
import {AttributionFixture} from "../test/AttributionFixture.sol";
import {FuzzSelector, InvariantTest} from "../test/InvariantTest.sol";
import {MerkleHelper} from "../test/MerkleHelper.sol";
import {MockERC20} from "../test/MockERC20.sol";
import {Vm} from "../test/Vm.sol";

/// @notice Drives AttributionRewards through random sequences of payments, time, honest and overfull settlements
///         (direct and signed) by bonded, unadmitted and under-bonded attestors, challenges and verdicts, single and
///         batch claims, withdrawals, bond moves and pauses, while keeping ghost books the invariants compare with.
contract AttributionHandler {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    AttributionRewards internal immutable rewards;
    MockERC20 internal immutable token;
    uint256 internal immutable modelId;
    address internal immutable admin;
    address internal immutable guardian;
    address internal immutable app;
    address internal immutable challenger;
    address internal immutable modelOwner;
    address internal immutable treasury;

    uint256 internal constant MAX_EPOCHS = 64;

    /// @dev [0] admitted + bonded (fixture), [1] bonded but never admitted, [2] admitted with a small bond.
    uint256[3] internal attestorKeys = [uint256(0xA77E57), 0xB0605, 0x3EAC];
    address[3] public attestors;
    bool[3] internal admitted = [true, false, true];
    address[4] public contributors = [address(0xC001), address(0xC002), address(0xC003), address(0xC004)];

    uint64[] internal epochs; // epochs with at least one payment
    mapping(uint64 => bool) internal seenEpoch;
    mapping(uint64 => address[]) internal leafAccounts;
    mapping(uint64 => uint256[]) internal leafAmounts;
    mapping(bytes32 => bool) internal ghostClaimed; // keccak(epoch, leaf)

    uint256 public totalFeesPaid; // model fees + platform fees
    uint256 public totalEscrowed; // contributors' parts
    uint256 public totalClaimed;
    uint256 public openChallengeBonds;
    uint256 public doubleClaims;
    uint256 public splitViolations;
    uint256 public unbondedSettles;
    uint256 public slashViolations;
    uint256 public claimsWhilePaused;
    mapping(address => uint256) public ghostBond;
    mapping(bytes4 => uint256) public calls;
    /// @dev How far sequences get (for canaries while tuning the campaign): successful paths, not attempts.
    uint256 public signedSettles;
    uint256 public overfullSettles;
    uint256 public upheldChallenges;
    uint256 public pausedClaimAttempts;
    uint256 public bondWithdrawals;

    constructor(AttributionFixtureView f) {
        rewards = f.rewardsContract();
        token = f.tokenContract();
        modelId = f.theModel();
        (admin, guardian, app, challenger, modelOwner, treasury) = f.actors();
        for (uint256 i = 0; i < 3; ++i) {
            attestors[i] = vm.addr(attestorKeys[i]);
        }
        ghostBond[attestors[0]] = rewards.bondOf(attestors[0]).amount;
    }

    /// @dev Called by the test after funding the two extra attestors.
    function bondExtras(uint256 roguesBond, uint256 weakBond) external {
        ghostBond[attestors[1]] += roguesBond;
        ghostBond[attestors[2]] += weakBond;
    }

    // ---------------------------------------------------------------- actions

    function pay(uint256 inSeed, uint256 outSeed) external {
        calls[this.pay.selector]++;
        if (rewards.paused()) return;
        uint64 inTokens = uint64(inSeed % 1e6);
        uint64 outTokens = uint64(1 + (outSeed % 1e6));
        (uint256 fee, uint256 platform, uint256 o, uint256 c, uint256 p) = rewards.quote(modelId, inTokens, outTokens);
        if (o + c + p != fee) splitViolations++;
        uint64 epoch = rewards.currentEpoch();
        if (_payAndMeasureCredits(epoch, inTokens, outTokens) != fee + platform) splitViolations++;
        totalFeesPaid += fee + platform;
        totalEscrowed += c;
        if (!seenEpoch[epoch] && epochs.length < MAX_EPOCHS) {
            seenEpoch[epoch] = true;
            epochs.push(epoch);
        }
    }

    /// @dev Pays and returns owner credit + protocol credit + escrow added by the payment.
    function _payAndMeasureCredits(uint64 epoch, uint64 inTokens, uint64 outTokens) internal returns (uint256) {
        uint256 before = rewards.withdrawable(modelOwner) + rewards.withdrawable(treasury)
            + rewards.getEscrow(epoch).contributors;
        vm.prank(app);
        rewards.payInference(modelId, inTokens, outTokens, type(uint256).max, bytes32(uint256(inTokens)));
        return rewards.withdrawable(modelOwner) + rewards.withdrawable(treasury) + rewards.getEscrow(epoch).contributors
            - before;
    }

    function warp(uint256 secondsSeed) external {
        calls[this.warp.selector]++;
        vm.warp(block.timestamp + 1 + (secondsSeed % 90 minutes));
    }

    function settle(uint256 epochSeed, uint256 attestorSeed, uint256 cutSeed, bool overfull, bool bySignature)
        external
    {
        calls[this.settle.selector]++;
        if (epochs.length == 0) return;
        uint64 epoch = _pickEpoch(epochSeed, SETTLEABLE);
        uint256 who = attestorSeed % 3;
        uint256 total = rewards.getEscrow(epoch).contributors;
        (address[] memory accounts, uint256[] memory amounts) = _cut(total, cutSeed, overfull);
        bytes32 root;
        if (accounts.length != 0) root = MerkleHelper.build(_leaves(epoch, accounts, amounts))[0];
        AttributionRewards.SettlementInput memory s = _input(epoch, root, uint32(accounts.length));
        bool ok;
        if (bySignature) {
            (uint8 v, bytes32 r, bytes32 sig) = vm.sign(attestorKeys[who], rewards.settlementDigest(s));
            try rewards.settleWithSignature(s, attestors[who], abi.encodePacked(r, sig, v)) {
                ok = true;
            } catch {}
        } else {
            vm.prank(attestors[who]);
            try rewards.settle(s) {
                ok = true;
            } catch {}
        }
        if (!ok) return;
        if (bySignature) signedSettles++;
        if (overfull) overfullSettles++;
        if (!admitted[who] || ghostBond[attestors[who]] < rewards.minAttestorBond()) unbondedSettles++;
        leafAccounts[epoch] = accounts;
        leafAmounts[epoch] = amounts;
    }

    function challenge(uint256 epochSeed) external {
        calls[this.challenge.selector]++;
        if (epochs.length == 0) return;
        uint64 epoch = _pickEpoch(epochSeed, CHALLENGEABLE);
        uint256 bond = rewards.challengeBond();
        vm.prank(challenger);
        try rewards.challenge(epoch, keccak256(abi.encode(epoch, "evidence")), "ipfs://evidence") {
            openChallengeBonds += bond;
        } catch {}
    }

    function resolve(uint256 epochSeed, bool upheld, uint256 slashSeed) external {
        calls[this.resolve.selector]++;
        if (epochs.length == 0) return;
        uint64 epoch = _pickEpoch(epochSeed, CHALLENGED);
        address attestor = rewards.getSettlement(epoch).attestor;
        uint256 bondBefore = rewards.bondOf(attestor).amount;
        uint256 challengeBondHeld = rewards.getChallenge(epoch).bond;
        uint256 slash = upheld ? slashSeed % (2 * bondBefore + 2) : 0;
        vm.prank(admin);
        try rewards.resolveChallenge(epoch, upheld, slash) {
            openChallengeBonds -= challengeBondHeld;
            if (upheld) {
                upheldChallenges++;
                if (slash > ghostBond[attestor]) slashViolations++;
                else ghostBond[attestor] -= slash;
                delete leafAccounts[epoch];
                delete leafAmounts[epoch];
            }
        } catch {}
    }

    function claim(uint256 epochSeed, uint256 leafSeed) external {
        calls[this.claim.selector]++;
        if (epochs.length == 0) return;
        uint64 epoch = _pickEpoch(epochSeed, HAS_LEAVES);
        uint256 n = leafAccounts[epoch].length;
        if (n == 0) return;
        uint256 i = leafSeed % n;
        address account = leafAccounts[epoch][i];
        uint256 amount = leafAmounts[epoch][i];
        bytes32[] memory proof = _proofFor(epoch, i, account, amount);
        bool paused = rewards.paused();
        if (paused) pausedClaimAttempts++;
        try rewards.claim(epoch, i, account, amount, proof) {
            _recordClaim(epoch, i, amount, paused);
        } catch {}
    }

    function claimAll(uint256 epochSeed) external {
        calls[this.claimAll.selector]++;
        if (epochs.length == 0) return;
        uint64 epoch = _pickEpoch(epochSeed, HAS_LEAVES);
        uint256 n = leafAccounts[epoch].length;
        if (n == 0) return;
        AttributionRewards.ClaimRequest[] memory batch = new AttributionRewards.ClaimRequest[](n);
        for (uint256 i = 0; i < n; ++i) {
            address account = leafAccounts[epoch][i];
            uint256 amount = leafAmounts[epoch][i];
            batch[i] = AttributionRewards.ClaimRequest(epoch, i, account, amount, _proofFor(epoch, i, account, amount));
        }
        bool paused = rewards.paused();
        try rewards.claimMany(batch) {
            for (uint256 i = 0; i < n; ++i) {
                _recordClaim(epoch, i, batch[i].amount, paused);
            }
        } catch {}
    }

    function withdraw(uint256 whoSeed) external {
        calls[this.withdraw.selector]++;
        address[3] memory payees = [modelOwner, treasury, challenger];
        vm.prank(payees[whoSeed % 3]);
        try rewards.withdraw() {} catch {}
    }

    function depositBond(uint256 attestorSeed, uint256 amountSeed) external {
        calls[this.depositBond.selector]++;
        address a = attestors[attestorSeed % 3];
        uint256 amount = 1 + (amountSeed % 600e18);
        token.mint(a, amount);
        vm.startPrank(a);
        token.approve(address(rewards), amount);
        try rewards.depositBond(amount) {
            ghostBond[a] += amount;
        } catch {}
        vm.stopPrank();
    }

    function withdrawBond(uint256 attestorSeed, uint256 amountSeed) external {
        calls[this.withdrawBond.selector]++;
        address a = attestors[attestorSeed % 3];
        uint256 amount = 1 + (amountSeed % 1_200e18);
        vm.prank(a);
        try rewards.withdrawBond(amount) {
            ghostBond[a] -= amount;
            bondWithdrawals++;
        } catch {}
    }

    function togglePause() external {
        calls[this.togglePause.selector]++;
        bool paused = rewards.paused(); // read before the prank: a view call would consume it
        vm.prank(guardian);
        if (paused) rewards.unpause();
        else rewards.pause();
    }

    // ---------------------------------------------------------------- views for the invariants

    function epochCount() external view returns (uint256) {
        return epochs.length;
    }

    function epochAt(uint256 i) external view returns (uint64) {
        return epochs[i];
    }

    function bondsHeld() external view returns (uint256 sum) {
        for (uint256 i = 0; i < 3; ++i) {
            sum += rewards.bondOf(attestors[i]).amount;
        }
    }

    // ---------------------------------------------------------------- internals

    uint8 internal constant SETTLEABLE = 0;
    uint8 internal constant HAS_LEAVES = 1;
    uint8 internal constant CHALLENGEABLE = 2;
    uint8 internal constant CHALLENGED = 3;

    /// @dev From the seed's position on, the first epoch in the wanted state, else the seed's epoch. Keeps random
    ///      sequences productive instead of mostly hitting reverts (the seed's epoch still exercises those).
    function _pickEpoch(uint256 seed, uint8 want) internal view returns (uint64) {
        uint256 n = epochs.length;
        uint64 current = rewards.currentEpoch();
        for (uint256 k = 0; k < n; ++k) {
            uint64 e = epochs[(seed + k) % n];
            AttributionRewards.Settlement memory st = rewards.getSettlement(e);
            bool ok;
            if (want == SETTLEABLE) ok = e < current && st.status == AttributionRewards.Status.None;
            else if (want == HAS_LEAVES) ok = leafAccounts[e].length != 0;
            else if (want == CHALLENGEABLE) ok = st.status == AttributionRewards.Status.Posted && block.timestamp < st.claimsOpenAt;
            else ok = st.status == AttributionRewards.Status.Challenged;
            if (ok) return e;
        }
        return epochs[seed % n];
    }

    function _recordClaim(uint64 epoch, uint256 index, uint256 amount, bool paused) internal {
        if (paused) claimsWhilePaused++;
        bytes32 key = keccak256(abi.encode(epoch, index));
        if (ghostClaimed[key]) doubleClaims++;
        ghostClaimed[key] = true;
        totalClaimed += amount;
    }

    /// @dev Splits `total` over 1..4 contributors (each ≥ 1 wei); an overfull cut adds 1..total+1 wei to one leaf.
    function _cut(uint256 total, uint256 seed, bool overfull)
        internal
        view
        returns (address[] memory accounts, uint256[] memory amounts)
    {
        if (total == 0) return (accounts, amounts);
        uint256 n = 1 + (seed % 4);
        if (n > total) n = total;
        accounts = new address[](n);
        amounts = new uint256[](n);
        uint256 left = total;
        for (uint256 i = 0; i < n; ++i) {
            accounts[i] = contributors[i];
            uint256 room = left - (n - 1 - i); // leave ≥ 1 wei for each later leaf
            amounts[i] = i == n - 1 ? left : 1 + (uint256(keccak256(abi.encode(seed, i))) % room);
            left -= amounts[i];
        }
        if (overfull) amounts[seed % n] += 1 + (seed % (total + 1));
    }

    function _leaves(uint64 epoch, address[] memory accounts, uint256[] memory amounts)
        internal
        pure
        returns (bytes32[] memory l)
    {
        l = new bytes32[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            l[i] = MerkleHelper.leaf(epoch, i, accounts[i], amounts[i]);
        }
    }

    function _proofFor(uint64 epoch, uint256 index, address account, uint256 amount)
        internal
        view
        returns (bytes32[] memory)
    {
        bytes32[] memory tree = MerkleHelper.build(_leaves(epoch, leafAccounts[epoch], leafAmounts[epoch]));
        return MerkleHelper.proof(tree, MerkleHelper.leaf(epoch, index, account, amount));
    }

    function _input(uint64 epoch, bytes32 root, uint32 leafCount)
        internal
        view
        returns (AttributionRewards.SettlementInput memory)
    {
        AttributionRewards.Escrow memory e = rewards.getEscrow(epoch);
        return AttributionRewards.SettlementInput(
            epoch, root, keccak256(abi.encode("records", epoch)), e.contributors, e.inferenceCount, leafCount
        );
    }
}

/// @notice What the handler needs from the test contract, read once in its constructor.
interface AttributionFixtureView {
    function rewardsContract() external view returns (AttributionRewards);
    function tokenContract() external view returns (MockERC20);
    function theModel() external view returns (uint256);
    function actors()
        external
        view
        returns (address admin, address guardian, address app, address challenger, address modelOwner, address treasury);
}

/// @custom:invariant See AttributionRewards: each property below is one invariant campaign over random call
///                   sequences of AttributionHandler (runs × depth in hardhat.config.ts test.solidity.invariant).
contract AttributionRewardsInvariants is InvariantTest, AttributionFixture, AttributionFixtureView {
    AttributionHandler internal handler;

    function setUp() public {
        _deployFixture();
        handler = new AttributionHandler(this);
        // The unadmitted attestor is fully bonded; the admitted "weak" one is bonded below the minimum.
        _bondAs(handler.attestors(1), MIN_BOND);
        _bondAs(handler.attestors(2), MIN_BOND / 2);
        handler.bondExtras(MIN_BOND, MIN_BOND / 2);
        bytes32 attestorRole = rewards.ATTESTOR_ROLE();
        address weak = handler.attestors(2);
        vm.prank(ADMIN);
        rewards.grantRole(attestorRole, weak);

        // Short window so that random sequences of a few dozen calls see settlements mature into claims.
        vm.prank(ADMIN);
        rewards.setChallengeWindow(1 hours);

        bytes4[] memory selectors = new bytes4[](13);
        selectors[0] = AttributionHandler.pay.selector;
        selectors[1] = AttributionHandler.warp.selector;
        selectors[2] = AttributionHandler.settle.selector;
        selectors[3] = AttributionHandler.challenge.selector;
        selectors[4] = AttributionHandler.resolve.selector;
        selectors[5] = AttributionHandler.claim.selector;
        selectors[6] = AttributionHandler.claimAll.selector;
        selectors[7] = AttributionHandler.withdraw.selector;
        selectors[8] = AttributionHandler.depositBond.selector;
        selectors[9] = AttributionHandler.withdrawBond.selector;
        selectors[10] = AttributionHandler.togglePause.selector;
        selectors[11] = AttributionHandler.pay.selector; // payments and time twice as likely: epochs need both
        selectors[12] = AttributionHandler.warp.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector(address(handler), selectors));
    }

    function _bondAs(address who, uint256 amount) internal {
        token.mint(who, amount);
        vm.startPrank(who);
        token.approve(address(rewards), amount);
        rewards.depositBond(amount);
        vm.stopPrank();
    }

    // AttributionFixtureView
    function rewardsContract() external view returns (AttributionRewards) {
        return rewards;
    }

    function tokenContract() external view returns (MockERC20) {
        return token;
    }

    function theModel() external view returns (uint256) {
        return modelId;
    }

    function actors() external pure returns (address, address, address, address, address, address) {
        return (ADMIN, GUARDIAN, APP, CHALLENGER, BUILDER, TREASURY);
    }

    /// @custom:invariant total claimed ≤ total contributors' escrow ≤ total fees paid, per epoch and overall, and
    ///                   contributors hold exactly what was claimed.
    function invariant_TotalClaimedNeverExceedsEscrowedFees() public view {
        assertLe(handler.totalClaimed(), handler.totalEscrowed(), "claimed <= escrowed");
        assertLe(handler.totalEscrowed(), handler.totalFeesPaid(), "escrowed <= fees");
        uint256 n = handler.epochCount();
        uint256 claimedOnChain;
        for (uint256 i = 0; i < n; ++i) {
            uint64 e = handler.epochAt(i);
            AttributionRewards.Settlement memory st = rewards.getSettlement(e);
            assertLe(st.claimedAmount, rewards.getEscrow(e).contributors, "epoch claimed <= epoch escrow");
            claimedOnChain += st.claimedAmount;
        }
        assertEq(claimedOnChain, handler.totalClaimed(), "on-chain claimed = ghost claimed");
        uint256 held;
        for (uint256 i = 0; i < 4; ++i) {
            held += token.balanceOf(handler.contributors(i));
        }
        assertEq(held, handler.totalClaimed(), "contributors hold what was claimed");
    }

    /// @custom:invariant a reward leaf (epoch, index) is paid at most once.
    function invariant_LeafClaimedAtMostOnce() public view {
        assertEq(handler.doubleClaims(), 0, "double claims");
    }

    /// @custom:invariant every payment's split sums exactly to its fee.
    function invariant_EachSplitSumsToItsFee() public view {
        assertEq(handler.splitViolations(), 0, "split violations");
    }

    /// @custom:invariant only an admitted attestor with bond ≥ minimum ever settles.
    function invariant_OnlyBondedAttestorsSettle() public view {
        assertEq(handler.unbondedSettles(), 0, "settled by an unbonded attestor");
        uint256 n = handler.epochCount();
        for (uint256 i = 0; i < n; ++i) {
            address a = rewards.getSettlement(handler.epochAt(i)).attestor;
            assertTrue(a == address(0) || a == handler.attestors(0) || a == handler.attestors(2), "admitted attestor");
        }
    }

    /// @custom:invariant a slash never exceeds the bond; every bond equals deposits − withdrawals − slashes.
    function invariant_SlashNeverExceedsBond() public view {
        assertEq(handler.slashViolations(), 0, "slash above bond");
        for (uint256 i = 0; i < 3; ++i) {
            address a = handler.attestors(i);
            assertEq(rewards.bondOf(a).amount, handler.ghostBond(a), "bond = ghost bond");
        }
    }

    /// @custom:invariant while paused no claim succeeds.
    function invariant_PausedBlocksClaims() public view {
        assertEq(handler.claimsWhilePaused(), 0, "claims while paused");
    }

    /// @custom:invariant solvency: the contract's balance equals everything it owes.
    function invariant_Solvency() public view {
        uint256 owed = rewards.withdrawable(BUILDER) + rewards.withdrawable(TREASURY) + rewards.withdrawable(CHALLENGER);
        uint256 n = handler.epochCount();
        for (uint256 i = 0; i < n; ++i) {
            uint64 e = handler.epochAt(i);
            uint256 escrow = rewards.getEscrow(e).contributors;
            uint256 claimed = rewards.getSettlement(e).claimedAmount;
            assertLe(claimed, escrow, "epoch overpaid");
            owed += escrow - claimed;
        }
        owed += handler.bondsHeld() + handler.openChallengeBonds();
        assertEq(token.balanceOf(address(rewards)), owed, "balance = liabilities");
    }
}

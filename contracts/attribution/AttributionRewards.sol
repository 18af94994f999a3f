// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IModelRegistry} from "../models/IModelRegistry.sol";
import {FeeSplit} from "./FeeSplit.sol";

/// @title AttributionRewards
/// @notice Proof of Attribution money flow. Apps pay inference fees in the fee token (OPEN) against a model; the fee
///         is split at payment time — model owner and protocol parts become withdrawable at once, the contributors'
///         part is escrowed in the current epoch. After the epoch ends a bonded attestor posts its settlement: the
///         Merkle root of (account, amount) leaves distributing exactly that epoch's escrow (contributors, and the
///         unattributed share to Datanet treasuries), the root of the per-inference records and the totals —
///         directly or as an EIP-712 signature anyone may relay. Claims open after a challenge window; during it
///         anyone may challenge with evidence (and a bond), and governance resolves: upheld slashes the attestor's
///         bond and voids the settlement so it can be posted again. Contributors claim with a Merkle proof, once per
///         leaf, one at a time or in batches.
/// @dev Roles: `DEFAULT_ADMIN_ROLE` = governance (role admin, parameters, challenge resolution, admits attestors by
///      granting `ATTESTOR_ROLE`); `GUARDIAN_ROLE` pauses / unpauses; `ATTESTOR_ROLE` may settle while its bond is at
///      least `minAttestorBond`. Pausing blocks payments, settlements, claims, bond and fee withdrawals (an
///      emergency brake: nothing is lost, it all resumes on unpause); challenges and their resolution stay open.
///
///      Reward leaf (OpenZeppelin StandardMerkleTree, types ["uint64", "uint256", "address", "uint256"]):
///      keccak256(bytes.concat(keccak256(abi.encode(epoch, index, account, amount)))). `index` is the leaf's
///      position 0..leafCount−1 in the attestor's list; claimed flags are a bitmap keyed by it, so one storage word
///      holds 256 leaves' flags and every claim after the first of its word updates a non-zero word (5k gas instead
///      of 22.1k for a fresh slot). The proof binds epoch, index, account and amount: a leaf of one epoch never
///      verifies in another even when two epochs have the same payouts. An attestor that repeats an index only
///      makes one of those leaves unclaimable (its own error; the cap below still holds).
///
///      The fee token must be a plain ERC-20 (no fee on transfer, no rebasing): incoming transfers are checked to
///      credit exactly what was sent. Amounts are held as uint96 (7.9e28), above OPEN's total supply (1e27).
/// @custom:invariant Σ claimed(e) ≤ totalAmount(e) = contributors' escrow of epoch e, so Σ claimed over all epochs
///                   ≤ Σ contributors' parts escrowed ≤ Σ fees paid.
/// @custom:invariant A reward leaf (epoch, index) is paid at most once: its bit in the epoch's claimed bitmap is set
///                   on the first claim and never cleared.
/// @custom:invariant Every payment's split sums to its model fee: ownerPart + contributorsPart + protocolPart = modelFee.
/// @custom:invariant A settlement's attestor held ATTESTOR_ROLE and a bond ≥ minAttestorBond when it was posted.
/// @custom:invariant A bond slash never exceeds the bond: bond after = bond before − slash ≥ 0.
/// @custom:invariant While paused no claim succeeds.
/// @custom:invariant Solvency: feeToken.balanceOf(this) = Σ withdrawable + Σ_e (escrow(e) − claimed(e)) + Σ bonds
///                   + Σ open challenge bonds.
contract AttributionRewards is AccessControl, Pausable, ReentrancyGuardTransient, EIP712 {
    using SafeERC20 for IERC20;

    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    bytes32 public constant ATTESTOR_ROLE = keccak256("ATTESTOR_ROLE");

    uint256 public constant BPS = 10_000;
    uint256 public constant MAX_PLATFORM_FEE_BPS = 2_000;
    uint256 public constant MIN_CHALLENGE_WINDOW = 1 minutes;
    uint256 public constant MAX_CHALLENGE_WINDOW = 30 days;
    /// @notice Most leaves per `claimMany` call (bounds the loop).
    uint256 public constant MAX_CLAIM_BATCH = 64;
    /// @notice Share of a slashed bond paid to the challenger who proved the settlement wrong; the rest goes to
    ///         the protocol treasury.
    uint256 public constant CHALLENGER_REWARD_BPS = 5_000;

    bytes32 public constant SETTLEMENT_TYPEHASH = keccak256(
        "Settlement(uint64 epoch,uint32 attempt,bytes32 rewardsRoot,bytes32 inferencesRoot,uint256 totalAmount,uint64 inferenceCount,uint32 leafCount)"
    );

    enum Status {
        None,
        Posted,
        Challenged
    }

    /// @notice What an attestor commits to for one epoch.
    /// @param rewardsRoot StandardMerkleTree root of (account, amount) leaves; Σ amounts must equal totalAmount.
    /// @param inferencesRoot root of the per-inference records (inference id, model id, token counts, output hash,
    ///        index version hash, result digest) the rewards were computed from; evidence lives off chain.
    /// @param totalAmount must equal the epoch's escrowed contributors' parts.
    /// @param inferenceCount must equal the number of inferences paid in the epoch.
    /// @param leafCount number of reward leaves; their indexes are 0..leafCount−1 (informational, for claimers and
    ///        challengers).
    struct SettlementInput {
        uint64 epoch;
        bytes32 rewardsRoot;
        bytes32 inferencesRoot;
        uint256 totalAmount;
        uint64 inferenceCount;
        uint32 leafCount;
    }

    struct Escrow {
        uint96 contributors; // Σ contributors' parts paid in the epoch
        uint64 inferenceCount;
        uint32 attempt; // settlements voided so far; part of the signed message
    }

    struct Settlement {
        bytes32 rewardsRoot;
        // One slot read and written by every claim.
        uint96 totalAmount;
        uint96 claimedAmount;
        uint48 claimsOpenAt;
        Status status;
        address attestor;
        uint48 postedAt;
        uint32 leafCount;
        bytes32 inferencesRoot;
    }

    struct Bond {
        uint128 amount;
        uint48 lockedUntil; // the latest claimsOpenAt of the attestor's settlements
        uint32 openChallenges;
    }

    struct Challenge {
        address challenger;
        uint96 bond;
        bytes32 evidenceHash;
    }

    /// @notice One paid inference as the engine reads it from `InferencePaid`.
    struct Payment {
        uint64 epoch;
        uint64 inTokens;
        uint64 outTokens;
        uint256 modelFee;
        uint256 platformFee;
        uint256 ownerPart;
        uint256 contributorsPart;
        uint256 protocolPart;
        bytes32 requestRef;
    }

    struct ClaimRequest {
        uint64 epoch;
        uint256 index;
        address account;
        uint256 amount;
        bytes32[] proof;
    }

    IERC20 public immutable feeToken;
    IModelRegistry public immutable models;
    uint256 public immutable epochLength;
    uint256 public immutable genesisTime;

    address public protocolTreasury;
    uint16 public platformFeeBps = 500;
    uint48 public challengeWindow;
    uint128 public minAttestorBond;
    uint96 public challengeBond;

    mapping(uint64 epoch => Escrow) private _escrows;
    mapping(uint64 epoch => Settlement) private _settlements;
    mapping(uint64 epoch => Challenge) private _challenges;
    /// @dev Bit `index % 256` of word `index / 256` is set once leaf `index` of the epoch is claimed. A voided
    ///      settlement never has claims (challenges close when claims open), so a re-settled epoch starts clean.
    mapping(uint64 epoch => mapping(uint256 word => uint256 bits)) private _claimedBits;
    mapping(address => Bond) private _bonds;
    /// @notice Fee-token balances owed to model owners, the protocol treasury and challengers (pull payments).
    mapping(address => uint256) public withdrawable;

    /// @dev Σ ownerPart + contributorsPart + protocolPart = modelFee; the payer paid modelFee + platformFee.
    event InferencePaid(uint256 indexed inferenceId, uint256 indexed modelId, address indexed payer, Payment payment);
    event Settled(
        uint64 indexed epoch,
        address indexed attestor,
        uint32 attempt,
        bytes32 rewardsRoot,
        bytes32 inferencesRoot,
        uint256 totalAmount,
        uint64 inferenceCount,
        uint32 leafCount,
        uint48 claimsOpenAt
    );
    event Challenged(
        uint64 indexed epoch, address indexed challenger, address indexed attestor, bytes32 evidenceHash, string evidenceURI
    );
    event ChallengeResolved(uint64 indexed epoch, bool upheld, uint256 slashed, uint256 challengerReward);
    event Claimed(uint64 indexed epoch, address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event BondDeposited(address indexed attestor, uint256 amount, uint256 newBond);
    event BondWithdrawn(address indexed attestor, uint256 amount, uint256 newBond);
    event BondSlashed(address indexed attestor, uint256 amount, uint256 newBond);
    event ProtocolTreasurySet(address treasury);
    event PlatformFeeBpsSet(uint256 bps);
    event ChallengeWindowSet(uint256 window);
    event BondsSet(uint256 minAttestorBond, uint256 challengeBond);

    error ZeroAddress();
    error ZeroAmount();
    error ParamOutOfBounds();
    error ModelNotActive(uint256 modelId);
    error ZeroFee();
    error FeeAboveMax(uint256 total, uint256 maxTotal);
    error UnsupportedToken();
    error NotBondedAttestor(address attestor);
    error InvalidSignature();
    error EpochNotEnded(uint64 epoch);
    error NothingToSettle(uint64 epoch);
    error AlreadySettled(uint64 epoch);
    error TotalsMismatch(uint256 totalAmount, uint256 escrowed, uint64 inferenceCount, uint64 paidInferences);
    error InvalidSettlement();
    error NotChallengeable(uint64 epoch);
    error ChallengeWindowClosed(uint64 epoch);
    error NotChallenged(uint64 epoch);
    error SlashExceedsBond(uint256 slash, uint256 bond);
    error ClaimsNotOpen(uint64 epoch);
    error AlreadyClaimed(uint64 epoch, uint256 index);
    error InvalidProof();
    error ExceedsSettlement(uint64 epoch);
    error BatchSize(uint256 size);
    error BondLocked(uint256 lockedUntil, uint256 openChallenges);
    error InsufficientBond(uint256 requested, uint256 bond);

    /// @param feeToken_ the fee token: OPEN (on the L2 the bridged OptimismMintableERC20; any plain ERC-20 works,
    ///        permit is used only when the token has it).
    /// @param models_ the ModelRegistry that prices and splits inferences.
    /// @param admin governance.
    /// @param guardian may pause and unpause.
    /// @param treasury_ receives the protocol part, the platform fee and slashed bonds.
    /// @param epochLength_ seconds per settlement epoch (> 0); epoch 0 starts at deployment.
    /// @param challengeWindow_ seconds between a settlement and its claims opening, in [1 minute, 30 days]
    ///        (a day or more in production; a minute suits a devnet).
    /// @param minAttestorBond_ fee-token bond an attestor must hold to settle.
    /// @param challengeBond_ fee-token bond a challenger posts (returned with a reward if upheld).
    constructor(
        IERC20 feeToken_,
        IModelRegistry models_,
        address admin,
        address guardian,
        address treasury_,
        uint256 epochLength_,
        uint256 challengeWindow_,
        uint128 minAttestorBond_,
        uint96 challengeBond_
    ) EIP712("OpenLedger AttributionRewards", "1") {
        if (
            address(feeToken_) == address(0) || address(models_) == address(0) || admin == address(0)
                || guardian == address(0) || treasury_ == address(0)
        ) revert ZeroAddress();
        if (epochLength_ == 0 || epochLength_ > 365 days) revert ParamOutOfBounds();
        feeToken = feeToken_;
        models = models_;
        epochLength = epochLength_;
        genesisTime = block.timestamp;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GUARDIAN_ROLE, guardian);
        protocolTreasury = treasury_;
        _setChallengeWindow(challengeWindow_);
        minAttestorBond = minAttestorBond_;
        challengeBond = challengeBond_;
    }

    // ---------------------------------------------------------------- payments

    /// @notice Pays for one inference of `modelId` (approve the fee token first). The caller pays modelFee +
    ///         platformFee (see `quote`), at most `maxTotal` so a price change cannot surprise it.
    /// @param requestRef the app's reference of the inference request, which the engine's record links to.
    /// @return inferenceId (epoch << 64) | index of the inference within its epoch.
    function payInference(uint256 modelId, uint64 inTokens, uint64 outTokens, uint256 maxTotal, bytes32 requestRef)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 inferenceId)
    {
        return _payInference(modelId, inTokens, outTokens, maxTotal, requestRef);
    }

    /// @notice `payInference` with an EIP-2612 permit for `maxTotal` in the same transaction, for tokens that offer
    ///         it. A failing permit is ignored (it may have been front-run, or the token has none): the transfer then
    ///         succeeds only if the allowance is already there.
    function payInferenceWithPermit(
        uint256 modelId,
        uint64 inTokens,
        uint64 outTokens,
        uint256 maxTotal,
        bytes32 requestRef,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused nonReentrant returns (uint256 inferenceId) {
        try IERC20Permit(address(feeToken)).permit(msg.sender, address(this), maxTotal, deadline, v, r, s) {} catch {}
        return _payInference(modelId, inTokens, outTokens, maxTotal, requestRef);
    }

    // ---------------------------------------------------------------- settlement

    /// @notice Posts the caller's settlement of a finished epoch.
    function settle(SettlementInput calldata s) external whenNotPaused {
        _settle(s, msg.sender);
    }

    /// @notice Posts `attestor`'s settlement from its EIP-712 signature (ECDSA, or ERC-1271 for a contract
    ///         attestor). The signed message binds chain id, this contract, the epoch and its attempt number.
    function settleWithSignature(SettlementInput calldata s, address attestor, bytes calldata signature)
        external
        whenNotPaused
    {
        if (!SignatureChecker.isValidSignatureNow(attestor, settlementDigest(s), signature)) revert InvalidSignature();
        _settle(s, attestor);
    }

    /// @notice Disputes a posted settlement before its claims open, freezing it until governance decides. The
    ///         caller posts `challengeBond` (approve first) and publishes the evidence at `evidenceURI`.
    function challenge(uint64 epoch, bytes32 evidenceHash, string calldata evidenceURI) external nonReentrant {
        Settlement storage st = _settlements[epoch];
        if (st.status != Status.Posted) revert NotChallengeable(epoch);
        if (block.timestamp >= st.claimsOpenAt) revert ChallengeWindowClosed(epoch);
        if (evidenceHash == bytes32(0)) revert InvalidSettlement();
        uint96 bond = challengeBond;
        st.status = Status.Challenged;
        _challenges[epoch] = Challenge(msg.sender, bond, evidenceHash);
        _bonds[st.attestor].openChallenges += 1;
        emit Challenged(epoch, msg.sender, st.attestor, evidenceHash, evidenceURI);
        if (bond != 0) _pull(msg.sender, bond);
    }

    /// @notice Governance's verdict on a challenge. Upheld: slashes `slashAmount` (≤ the bond) of the attestor's
    ///         bond — half to the challenger with its bond back, half to the protocol treasury — and voids the
    ///         settlement so the epoch can be settled again (the attempt number changes, old signatures die).
    ///         Rejected: the challenger's bond goes to the protocol treasury and the settlement stands.
    function resolveChallenge(uint64 epoch, bool upheld, uint256 slashAmount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Settlement storage st = _settlements[epoch];
        if (st.status != Status.Challenged) revert NotChallenged(epoch);
        Challenge memory c = _challenges[epoch];
        delete _challenges[epoch];
        address attestor = st.attestor;
        Bond storage b = _bonds[attestor];
        b.openChallenges -= 1;
        if (upheld) {
            if (slashAmount > b.amount) revert SlashExceedsBond(slashAmount, b.amount);
            uint256 newBond = b.amount - slashAmount;
            b.amount = uint128(newBond);
            uint256 reward = (slashAmount * CHALLENGER_REWARD_BPS) / BPS;
            withdrawable[c.challenger] += c.bond + reward;
            withdrawable[protocolTreasury] += slashAmount - reward;
            delete _settlements[epoch];
            _escrows[epoch].attempt += 1;
            emit BondSlashed(attestor, slashAmount, newBond);
            emit ChallengeResolved(epoch, true, slashAmount, reward);
        } else {
            if (slashAmount != 0) revert ParamOutOfBounds();
            if (c.bond != 0) withdrawable[protocolTreasury] += c.bond;
            st.status = Status.Posted;
            emit ChallengeResolved(epoch, false, 0, 0);
        }
    }

    // ---------------------------------------------------------------- claims and withdrawals

    /// @notice Pays `account` its leaf `index` of `epoch` worth `amount` (anyone may submit it; the tokens go to
    ///         `account`).
    function claim(uint64 epoch, uint256 index, address account, uint256 amount, bytes32[] calldata proof)
        external
        whenNotPaused
        nonReentrant
    {
        _claim(epoch, index, account, amount, proof);
        feeToken.safeTransfer(account, amount);
    }

    /// @notice Claims up to `MAX_CLAIM_BATCH` leaves; consecutive leaves of the same account are paid in one
    ///         transfer, so sort by account to pay several epochs of one contributor at once.
    function claimMany(ClaimRequest[] calldata claims) external whenNotPaused nonReentrant {
        uint256 n = claims.length;
        if (n == 0 || n > MAX_CLAIM_BATCH) revert BatchSize(n);
        address account = claims[0].account;
        uint256 owed;
        for (uint256 i = 0; i < n; ++i) {
            ClaimRequest calldata c = claims[i];
            if (c.account != account) {
                feeToken.safeTransfer(account, owed);
                (account, owed) = (c.account, 0);
            }
            _claim(c.epoch, c.index, c.account, c.amount, c.proof);
            owed += c.amount;
        }
        feeToken.safeTransfer(account, owed);
    }

    /// @notice Sends the caller everything it is owed as model owner, protocol treasury or challenger.
    function withdraw() external whenNotPaused nonReentrant returns (uint256 amount) {
        amount = withdrawable[msg.sender];
        if (amount == 0) revert ZeroAmount();
        withdrawable[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        feeToken.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- attestor bonds

    /// @notice Adds `amount` to the caller's attestor bond (approve first).
    function depositBond(uint256 amount) external whenNotPaused nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Bond storage b = _bonds[msg.sender];
        uint256 newBond = b.amount + amount;
        if (newBond > type(uint128).max) revert ParamOutOfBounds();
        b.amount = uint128(newBond);
        emit BondDeposited(msg.sender, amount, newBond);
        _pull(msg.sender, amount);
    }

    /// @notice Returns `amount` of the caller's bond once all its settlements are past their challenge windows and
    ///         none is under challenge — a bond cannot leave while it may still be slashed.
    function withdrawBond(uint256 amount) external whenNotPaused nonReentrant {
        Bond storage b = _bonds[msg.sender];
        if (amount == 0) revert ZeroAmount();
        if (block.timestamp < b.lockedUntil || b.openChallenges != 0) revert BondLocked(b.lockedUntil, b.openChallenges);
        if (amount > b.amount) revert InsufficientBond(amount, b.amount);
        uint256 newBond = b.amount - amount;
        b.amount = uint128(newBond);
        emit BondWithdrawn(msg.sender, amount, newBond);
        feeToken.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- governance, guardian

    function setProtocolTreasury(address treasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury == address(0)) revert ZeroAddress();
        protocolTreasury = treasury;
        emit ProtocolTreasurySet(treasury);
    }

    /// @notice Sets the platform fee charged on top of the model fee (≤ 20%).
    function setPlatformFeeBps(uint16 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bps > MAX_PLATFORM_FEE_BPS) revert ParamOutOfBounds();
        platformFeeBps = bps;
        emit PlatformFeeBpsSet(bps);
    }

    /// @notice Sets the challenge window for settlements posted from now on.
    function setChallengeWindow(uint256 window) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setChallengeWindow(window);
    }

    /// @notice Sets the attestor bond required to settle and the bond a challenger posts.
    function setBonds(uint128 minAttestorBond_, uint96 challengeBond_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        minAttestorBond = minAttestorBond_;
        challengeBond = challengeBond_;
        emit BondsSet(minAttestorBond_, challengeBond_);
    }

    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(GUARDIAN_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- views

    function currentEpoch() public view returns (uint64) {
        return uint64((block.timestamp - genesisTime) / epochLength);
    }

    function epochStart(uint64 epoch) external view returns (uint256) {
        return genesisTime + uint256(epoch) * epochLength;
    }

    /// @notice What an inference of `modelId` costs now and how its model fee splits.
    /// @return modelFee ⌊(inTokens × rateIn + outTokens × rateOut) / 1000⌋
    /// @return platformFee ⌊modelFee × platformFeeBps / 10,000⌋, charged on top
    /// @return ownerPart model owner's part of modelFee (see FeeSplit.split)
    /// @return contributorsPart escrowed for the epoch's settlement
    /// @return protocolPart protocol part of modelFee
    function quote(uint256 modelId, uint64 inTokens, uint64 outTokens)
        public
        view
        returns (uint256 modelFee, uint256 platformFee, uint256 ownerPart, uint256 contributorsPart, uint256 protocolPart)
    {
        return _quote(models.pricing(modelId), inTokens, outTokens);
    }

    function getEscrow(uint64 epoch) external view returns (Escrow memory) {
        return _escrows[epoch];
    }

    function getSettlement(uint64 epoch) external view returns (Settlement memory) {
        return _settlements[epoch];
    }

    function getChallenge(uint64 epoch) external view returns (Challenge memory) {
        return _challenges[epoch];
    }

    function bondOf(address attestor) external view returns (Bond memory) {
        return _bonds[attestor];
    }

    /// @notice Whether `attestor` may settle now.
    function isBondedAttestor(address attestor) public view returns (bool) {
        return hasRole(ATTESTOR_ROLE, attestor) && _bonds[attestor].amount >= minAttestorBond;
    }

    function leafHash(uint64 epoch, uint256 index, address account, uint256 amount) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(epoch, index, account, amount))));
    }

    function isClaimed(uint64 epoch, uint256 index) external view returns (bool) {
        return _claimedBits[epoch][index >> 8] & (1 << (index & 0xff)) != 0;
    }

    /// @notice The EIP-712 digest an attestor signs for `s` (at the epoch's current attempt number).
    function settlementDigest(SettlementInput calldata s) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    SETTLEMENT_TYPEHASH,
                    s.epoch,
                    _escrows[s.epoch].attempt,
                    s.rewardsRoot,
                    s.inferencesRoot,
                    s.totalAmount,
                    s.inferenceCount,
                    s.leafCount
                )
            )
        );
    }

    // ---------------------------------------------------------------- internals

    function _payInference(uint256 modelId, uint64 inTokens, uint64 outTokens, uint256 maxTotal, bytes32 requestRef)
        private
        returns (uint256 inferenceId)
    {
        IModelRegistry.Pricing memory p = models.pricing(modelId);
        if (!p.active) revert ModelNotActive(modelId);
        Payment memory pay;
        (pay.modelFee, pay.platformFee, pay.ownerPart, pay.contributorsPart, pay.protocolPart) =
            _quote(p, inTokens, outTokens);
        if (pay.modelFee == 0) revert ZeroFee();
        uint256 total = pay.modelFee + pay.platformFee;
        if (total > maxTotal) revert FeeAboveMax(total, maxTotal);
        (pay.epoch, pay.inTokens, pay.outTokens, pay.requestRef) = (currentEpoch(), inTokens, outTokens, requestRef);

        Escrow storage e = _escrows[pay.epoch];
        uint64 index = e.inferenceCount;
        uint256 escrowed = e.contributors + pay.contributorsPart;
        if (escrowed > type(uint96).max) revert ParamOutOfBounds();
        e.contributors = uint96(escrowed);
        e.inferenceCount = index + 1;
        inferenceId = (uint256(pay.epoch) << 64) | index;
        withdrawable[p.owner] += pay.ownerPart;
        withdrawable[protocolTreasury] += pay.protocolPart + pay.platformFee;
        emit InferencePaid(inferenceId, modelId, msg.sender, pay);
        _pull(msg.sender, total);
    }

    function _quote(IModelRegistry.Pricing memory p, uint64 inTokens, uint64 outTokens)
        private
        view
        returns (uint256 fee, uint256 platform, uint256 ownerPart, uint256 contributorsPart, uint256 protocolPart)
    {
        fee = FeeSplit.modelFee(inTokens, p.ratePer1kIn, outTokens, p.ratePer1kOut);
        platform = FeeSplit.platformFee(fee, platformFeeBps);
        (ownerPart, contributorsPart, protocolPart) = FeeSplit.split(fee, p.ownerBps, p.contributorsBps, p.protocolBps);
    }

    function _settle(SettlementInput calldata s, address attestor) private {
        if (!isBondedAttestor(attestor)) revert NotBondedAttestor(attestor);
        if (s.epoch >= currentEpoch()) revert EpochNotEnded(s.epoch);
        Settlement storage st = _settlements[s.epoch];
        if (st.status != Status.None) revert AlreadySettled(s.epoch);
        Escrow memory e = _escrows[s.epoch];
        if (e.inferenceCount == 0) revert NothingToSettle(s.epoch);
        if (s.totalAmount != e.contributors || s.inferenceCount != e.inferenceCount) {
            revert TotalsMismatch(s.totalAmount, e.contributors, s.inferenceCount, e.inferenceCount);
        }
        if (s.inferencesRoot == bytes32(0) || (s.totalAmount != 0 && (s.rewardsRoot == bytes32(0) || s.leafCount == 0)))
        {
            revert InvalidSettlement();
        }
        uint48 opensAt = uint48(block.timestamp + challengeWindow);
        st.rewardsRoot = s.rewardsRoot;
        st.totalAmount = e.contributors;
        st.claimsOpenAt = opensAt;
        st.status = Status.Posted;
        st.attestor = attestor;
        st.postedAt = uint48(block.timestamp);
        st.leafCount = s.leafCount;
        st.inferencesRoot = s.inferencesRoot;
        Bond storage b = _bonds[attestor];
        if (opensAt > b.lockedUntil) b.lockedUntil = opensAt;
        emit Settled(
            s.epoch,
            attestor,
            e.attempt,
            s.rewardsRoot,
            s.inferencesRoot,
            s.totalAmount,
            s.inferenceCount,
            s.leafCount,
            opensAt
        );
    }

    /// @dev Checks and effects of one claim; the caller transfers.
    function _claim(uint64 epoch, uint256 index, address account, uint256 amount, bytes32[] calldata proof)
        private
    {
        if (amount == 0) revert ZeroAmount();
        Settlement storage st = _settlements[epoch];
        if (st.status != Status.Posted || block.timestamp < st.claimsOpenAt) revert ClaimsNotOpen(epoch);
        mapping(uint256 => uint256) storage bitmap = _claimedBits[epoch];
        uint256 word = index >> 8;
        uint256 bits = bitmap[word];
        uint256 bit = 1 << (index & 0xff);
        if (bits & bit != 0) revert AlreadyClaimed(epoch, index);
        if (!MerkleProof.verifyCalldata(proof, st.rewardsRoot, leafHash(epoch, index, account, amount))) {
            revert InvalidProof();
        }
        // A root whose leaves sum to more than the escrow can never pay out more than the escrow.
        uint256 claimed = st.claimedAmount + amount;
        if (claimed > st.totalAmount) revert ExceedsSettlement(epoch);
        bitmap[word] = bits | bit;
        st.claimedAmount = uint96(claimed);
        emit Claimed(epoch, account, amount);
    }

    function _pull(address from, uint256 amount) private {
        uint256 before = feeToken.balanceOf(address(this));
        feeToken.safeTransferFrom(from, address(this), amount);
        if (feeToken.balanceOf(address(this)) - before != amount) revert UnsupportedToken();
    }

    function _setChallengeWindow(uint256 window) private {
        if (window < MIN_CHALLENGE_WINDOW || window > MAX_CHALLENGE_WINDOW) revert ParamOutOfBounds();
        challengeWindow = uint48(window);
        emit ChallengeWindowSet(window);
    }
}

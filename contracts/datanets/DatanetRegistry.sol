// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IDatanetRegistry} from "./IDatanetRegistry.sol";
import {IncrementalMerkleTree} from "./IncrementalMerkleTree.sol";

/// @title DatanetRegistry
/// @notice Datanets: attributed, permissioned datasets. A Datanet owner sets who may contribute (open, allowlist or
///         owner approval), the OPEN stake a contributor must lock, and per-contributor daily rate limits. A
///         contribution is registered by its content hash (globally unique: the first registration owns the text),
///         with a DA commitment or URI, byte size and token count. Each approval batch bumps the Datanet's version
///         and its Merkle root of approved contribution hashes, which models cite as "trained on version v".
///         Rejection as spam slashes part of the contributor's stake to the Datanet treasury and raises the
///         contributor's penalty score, which the attribution engine uses to scale payouts.
/// @dev Roles: `DEFAULT_ADMIN_ROLE` is governance (grants roles, sets the spam slash and penalty parameters within
///      hard bounds); `GUARDIAN_ROLE` pauses and unpauses. Per Datanet: its owner (settings, curators) and curators
///      (review, allowlist). Pausing stops creation, submissions, reviews and staking but never `unstake` or
///      `withdraw`, so funds that are free stay withdrawable.
///      Approved leaf = keccak256(bytes.concat(keccak256(abi.encode(contentHash)))) (OpenZeppelin
///      StandardMerkleTree's leaf encoding for a single bytes32), appended in approval order to an
///      {IncrementalMerkleTree}.
/// @custom:invariant A contributor's slash never exceeds the stake it is taken from: stake after = stake before −
///                   stake × spamSlashBps / 10,000 with spamSlashBps ≤ 5,000.
/// @custom:invariant Stake-token conservation: the registry's token balance equals Σ stakes + Σ unwithdrawn
///                   treasury credits.
/// @custom:invariant A content hash is registered at most once and its contribution never changes Datanet or
///                   contributor; a status only moves Pending → Approved | Rejected | Spam.
/// @custom:invariant version(d) = number of approval batches of d; versionRoot(d, v) never changes once written;
///                   approvedCount(d) = leaves in d's tree.
contract DatanetRegistry is IDatanetRegistry, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using IncrementalMerkleTree for IncrementalMerkleTree.Tree;

    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice Most contributions per review call and accounts per allowlist call (bounds the loops).
    uint256 public constant MAX_BATCH = 100;
    uint256 public constant BPS = 10_000;
    /// @notice Governance can never slash more than half a stake for one spam contribution.
    uint256 public constant MAX_SPAM_SLASH_BPS = 5_000;
    /// @notice A penalty score decays linearly to zero over this period after its last increase.
    uint256 public constant PENALTY_DECAY = 30 days;
    uint256 public constant WAD = 1e18;
    uint256 public constant MAX_NAME_BYTES = 64;
    uint256 public constant MAX_URI_BYTES = 512;
    uint256 public constant MAX_DATA_REF_BYTES = 1024;

    enum Policy {
        Open, // anyone holding the required stake; accepted on submission
        Allowlist, // only allowlisted contributors; accepted on submission
        OwnerApproval // anyone holding the required stake; pending until the owner or a curator reviews it
    }

    enum Status {
        None,
        Pending,
        Approved,
        Rejected,
        Spam
    }

    /// @notice What the owner may change after creation (name and license are fixed at creation).
    struct Settings {
        Policy policy;
        address treasury;
        uint128 requiredStake;
        uint32 maxSubmissionsPerDay; // 0 = unlimited
        uint64 maxBytesPerDay; // 0 = unlimited
    }

    struct Datanet {
        address owner;
        Policy policy;
        uint64 version;
        address treasury;
        uint32 maxSubmissionsPerDay;
        uint64 maxBytesPerDay;
        uint128 requiredStake;
        uint64 createdAt;
        uint64 approvedCount;
        bytes32 root;
        string name;
        string license;
        string metadataURI;
    }

    struct Contribution {
        address contributor;
        uint64 datanetId;
        Status status;
        uint64 byteSize;
        uint64 tokenCount;
        uint48 submittedAt;
        uint48 version; // the Datanet version that included it (0 while not approved)
        uint32 leafIndex; // its leaf in the Datanet's tree (meaningful once approved)
    }

    struct Staker {
        uint128 stake;
        uint64 pending; // contributions awaiting review: the stake is locked while > 0
    }

    struct Usage {
        uint32 day;
        uint32 count;
        uint64 bytesUsed;
    }

    struct Penalty {
        uint128 score;
        uint64 updatedAt;
    }

    IERC20 public immutable stakeToken;

    /// @notice Fraction of the stake slashed per spam rejection, in basis points (default 10%).
    uint256 public spamSlashBps = 1_000;
    /// @notice Penalty points (WAD) added per spam rejection.
    uint256 public penaltyPerSpam = 1e18;
    /// @notice Penalty score (WAD) at which payouts drop to zero: payout scale = max(0, 1 − score / threshold).
    uint256 public penaltyThreshold = 3e18;

    uint256 public datanetCount;
    mapping(uint256 datanetId => Datanet) private _datanets;
    mapping(uint256 datanetId => IncrementalMerkleTree.Tree) private _trees;
    mapping(uint256 datanetId => mapping(uint64 version => bytes32)) private _versionRoots;
    mapping(uint256 datanetId => mapping(address => bool)) public isCurator;
    mapping(uint256 datanetId => mapping(address => bool)) public isAllowlisted;
    mapping(uint256 datanetId => mapping(address => Staker)) private _stakers;
    mapping(uint256 datanetId => mapping(address => Usage)) private _usage;
    mapping(bytes32 contentHash => Contribution) private _contributions;
    mapping(address => Penalty) private _penalties;
    /// @notice Slashed stake owed to Datanet treasuries, pulled with `withdraw`.
    mapping(address => uint256) public credits;

    event DatanetCreated(
        uint256 indexed datanetId, address indexed owner, string name, string license, string metadataURI, Settings settings
    );
    event DatanetSettingsUpdated(uint256 indexed datanetId, Settings settings);
    event DatanetMetadataUpdated(uint256 indexed datanetId, string metadataURI);
    event DatanetOwnershipTransferred(uint256 indexed datanetId, address indexed previousOwner, address indexed newOwner);
    event CuratorSet(uint256 indexed datanetId, address indexed account, bool enabled);
    event AllowlistSet(uint256 indexed datanetId, address indexed account, bool allowed);
    event Staked(uint256 indexed datanetId, address indexed account, uint256 amount, uint256 newStake);
    event Unstaked(uint256 indexed datanetId, address indexed account, uint256 amount, uint256 newStake);
    event ContributionSubmitted(
        bytes32 indexed contentHash,
        uint256 indexed datanetId,
        address indexed contributor,
        bytes dataRef,
        uint64 byteSize,
        uint64 tokenCount
    );
    event ContributionApproved(
        bytes32 indexed contentHash, uint256 indexed datanetId, address indexed reviewer, uint64 version, uint32 leafIndex
    );
    event ContributionRejected(
        bytes32 indexed contentHash, uint256 indexed datanetId, address indexed reviewer, bool spam, uint256 slashed
    );
    event DatanetVersioned(uint256 indexed datanetId, uint64 indexed version, bytes32 root, uint64 approvedCount);
    event PenaltyIncreased(address indexed contributor, uint256 newScore);
    event Withdrawn(address indexed account, uint256 amount);
    event SpamSlashBpsSet(uint256 bps);
    event PenaltyParamsSet(uint256 perSpam, uint256 threshold);

    error ZeroAddress();
    error UnknownDatanet(uint256 datanetId);
    error NotDatanetOwner(uint256 datanetId, address account);
    error NotReviewer(uint256 datanetId, address account);
    error NotAllowlisted(uint256 datanetId, address account);
    error InvalidString();
    error InvalidContribution();
    error DuplicateContribution(bytes32 contentHash);
    error InsufficientStake(uint256 required, uint256 staked);
    error StakeLocked(uint256 pending);
    error RateLimited();
    error NotPending(bytes32 contentHash);
    error WrongDatanet(bytes32 contentHash);
    error BatchSize(uint256 size);
    error ZeroAmount();
    error ParamOutOfBounds();

    /// @param token_ the stake token (OPEN; on the L2 the bridged OptimismMintableERC20).
    /// @param admin governance: role admin and parameter setter.
    /// @param guardian may pause and unpause.
    constructor(IERC20 token_, address admin, address guardian) {
        if (address(token_) == address(0) || admin == address(0) || guardian == address(0)) revert ZeroAddress();
        stakeToken = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GUARDIAN_ROLE, guardian);
    }

    // ---------------------------------------------------------------- Datanets

    /// @notice Creates a Datanet owned by the caller. Its version starts at 0 with the empty tree's root.
    /// @param name short display name (≤ 64 bytes, non-empty); fixed forever.
    /// @param license SPDX id or license URI (≤ 512 bytes); fixed forever so contributors know the terms they accept.
    /// @param metadataURI description, schema, tags (≤ 512 bytes); the owner may change it.
    function createDatanet(
        string calldata name,
        string calldata license,
        string calldata metadataURI,
        Settings calldata settings
    ) external whenNotPaused returns (uint256 datanetId) {
        if (bytes(name).length == 0 || bytes(name).length > MAX_NAME_BYTES) revert InvalidString();
        if (bytes(license).length > MAX_URI_BYTES || bytes(metadataURI).length > MAX_URI_BYTES) revert InvalidString();
        if (settings.treasury == address(0)) revert ZeroAddress();
        datanetId = ++datanetCount;
        Datanet storage d = _datanets[datanetId];
        d.owner = msg.sender;
        d.createdAt = uint64(block.timestamp);
        d.root = IncrementalMerkleTree.emptyRoot();
        d.name = name;
        d.license = license;
        d.metadataURI = metadataURI;
        _applySettings(d, settings);
        _versionRoots[datanetId][0] = d.root;
        emit DatanetCreated(datanetId, msg.sender, name, license, metadataURI, settings);
    }

    /// @notice Changes policy, treasury, required stake and rate limits. A higher stake applies to new submissions.
    function updateSettings(uint256 datanetId, Settings calldata settings) external whenNotPaused {
        Datanet storage d = _ownedDatanet(datanetId);
        if (settings.treasury == address(0)) revert ZeroAddress();
        _applySettings(d, settings);
        emit DatanetSettingsUpdated(datanetId, settings);
    }

    /// @notice Replaces the Datanet's metadata URI.
    function setMetadataURI(uint256 datanetId, string calldata metadataURI) external whenNotPaused {
        Datanet storage d = _ownedDatanet(datanetId);
        if (bytes(metadataURI).length > MAX_URI_BYTES) revert InvalidString();
        d.metadataURI = metadataURI;
        emit DatanetMetadataUpdated(datanetId, metadataURI);
    }

    /// @notice Hands the Datanet to `newOwner` (one step: the new owner needs no action to start reviewing).
    function transferDatanetOwnership(uint256 datanetId, address newOwner) external {
        Datanet storage d = _ownedDatanet(datanetId);
        if (newOwner == address(0)) revert ZeroAddress();
        emit DatanetOwnershipTransferred(datanetId, d.owner, newOwner);
        d.owner = newOwner;
    }

    /// @notice Adds or removes a curator: curators review contributions and manage the allowlist.
    function setCurator(uint256 datanetId, address account, bool enabled) external {
        _ownedDatanet(datanetId);
        if (account == address(0)) revert ZeroAddress();
        isCurator[datanetId][account] = enabled;
        emit CuratorSet(datanetId, account, enabled);
    }

    /// @notice Adds or removes up to `MAX_BATCH` contributors from the allowlist (owner or curator).
    function setAllowlisted(uint256 datanetId, address[] calldata accounts, bool allowed) external {
        _reviewableDatanet(datanetId);
        if (accounts.length == 0 || accounts.length > MAX_BATCH) revert BatchSize(accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            isAllowlisted[datanetId][accounts[i]] = allowed;
            emit AllowlistSet(datanetId, accounts[i], allowed);
        }
    }

    // ---------------------------------------------------------------- stake

    /// @notice Locks `amount` of the stake token as the caller's stake in `datanetId` (approve first).
    function stake(uint256 datanetId, uint256 amount) external whenNotPaused nonReentrant {
        _datanet(datanetId);
        if (amount == 0) revert ZeroAmount();
        Staker storage s = _stakers[datanetId][msg.sender];
        uint256 newStake = s.stake + amount;
        s.stake = _toU128(newStake);
        emit Staked(datanetId, msg.sender, amount, newStake);
        stakeToken.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Returns `amount` of the caller's stake. Refused while any of the caller's contributions to this
    ///         Datanet awaits review, so a spammer cannot withdraw ahead of the rejection. Works while paused.
    function unstake(uint256 datanetId, uint256 amount) external nonReentrant {
        Staker storage s = _stakers[datanetId][msg.sender];
        if (amount == 0) revert ZeroAmount();
        if (s.pending != 0) revert StakeLocked(s.pending);
        if (amount > s.stake) revert InsufficientStake(amount, s.stake);
        uint256 newStake = s.stake - amount;
        s.stake = uint128(newStake);
        emit Unstaked(datanetId, msg.sender, amount, newStake);
        stakeToken.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- contributions

    /// @notice Registers a contribution to `datanetId`. Open and allowlist Datanets accept it at once (new version);
    ///         owner-approval Datanets keep it pending until a review.
    /// @param contentHash hash of the contribution's canonical content (e.g. keccak256 of the UTF-8 rows); refused if
    ///        any Datanet already registered it.
    /// @param dataRef where the bytes live: an EigenDA / Alt-DA commitment or a URI (≤ 1,024 bytes; emitted, not
    ///        stored — indexers keep it, the content hash authenticates it).
    /// @param byteSize size of the content in bytes (> 0); counts against the daily byte limit.
    /// @param tokenCount tokens in the content under the engine's tokenizer (informational).
    function submitContribution(
        uint256 datanetId,
        bytes32 contentHash,
        bytes calldata dataRef,
        uint64 byteSize,
        uint64 tokenCount
    ) external whenNotPaused {
        Datanet storage d = _datanet(datanetId);
        if (contentHash == bytes32(0) || byteSize == 0 || dataRef.length == 0 || dataRef.length > MAX_DATA_REF_BYTES) {
            revert InvalidContribution();
        }
        if (d.policy == Policy.Allowlist && !isAllowlisted[datanetId][msg.sender]) {
            revert NotAllowlisted(datanetId, msg.sender);
        }
        Contribution storage c = _contributions[contentHash];
        if (c.status != Status.None) revert DuplicateContribution(contentHash);
        Staker storage s = _stakers[datanetId][msg.sender];
        if (s.stake < d.requiredStake) revert InsufficientStake(d.requiredStake, s.stake);
        _consumeRateLimit(d, _usage[datanetId][msg.sender], byteSize);

        c.contributor = msg.sender;
        c.datanetId = uint64(datanetId);
        c.byteSize = byteSize;
        c.tokenCount = tokenCount;
        c.submittedAt = uint48(block.timestamp);
        emit ContributionSubmitted(contentHash, datanetId, msg.sender, dataRef, byteSize, tokenCount);

        if (d.policy == Policy.OwnerApproval) {
            c.status = Status.Pending;
            s.pending += 1;
        } else {
            uint64 version = d.version + 1;
            _include(d, datanetId, c, contentHash, version, msg.sender);
            _newVersion(d, datanetId, version);
        }
    }

    /// @notice Approves up to `MAX_BATCH` pending contributions of `datanetId` as one new version (owner or curator).
    function approveContributions(uint256 datanetId, bytes32[] calldata contentHashes) external whenNotPaused {
        Datanet storage d = _reviewableDatanet(datanetId);
        if (contentHashes.length == 0 || contentHashes.length > MAX_BATCH) revert BatchSize(contentHashes.length);
        uint64 version = d.version + 1;
        for (uint256 i = 0; i < contentHashes.length; ++i) {
            Contribution storage c = _pending(datanetId, contentHashes[i]);
            _stakers[datanetId][c.contributor].pending -= 1;
            _include(d, datanetId, c, contentHashes[i], version, msg.sender);
        }
        _newVersion(d, datanetId, version);
    }

    /// @notice Rejects up to `MAX_BATCH` pending contributions (owner or curator). As spam, each slashes
    ///         `spamSlashBps` of the contributor's current stake in this Datanet to its treasury and adds
    ///         `penaltyPerSpam` to the contributor's penalty score. A rejected hash stays registered: it cannot be
    ///         submitted again.
    function rejectContributions(uint256 datanetId, bytes32[] calldata contentHashes, bool spam)
        external
        whenNotPaused
    {
        Datanet storage d = _reviewableDatanet(datanetId);
        if (contentHashes.length == 0 || contentHashes.length > MAX_BATCH) revert BatchSize(contentHashes.length);
        address treasury = d.treasury;
        uint256 slashedTotal;
        for (uint256 i = 0; i < contentHashes.length; ++i) {
            Contribution storage c = _pending(datanetId, contentHashes[i]);
            Staker storage s = _stakers[datanetId][c.contributor];
            s.pending -= 1;
            uint256 slashed;
            if (spam) {
                c.status = Status.Spam;
                slashed = (uint256(s.stake) * spamSlashBps) / BPS;
                s.stake -= uint128(slashed);
                slashedTotal += slashed;
                _addPenalty(c.contributor);
            } else {
                c.status = Status.Rejected;
            }
            emit ContributionRejected(contentHashes[i], datanetId, msg.sender, spam, slashed);
        }
        if (slashedTotal != 0) credits[treasury] += slashedTotal;
    }

    /// @notice Sends the caller's treasury credits (slashed stakes) to the caller. Works while paused.
    function withdraw() external nonReentrant returns (uint256 amount) {
        amount = credits[msg.sender];
        if (amount == 0) revert ZeroAmount();
        credits[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        stakeToken.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- governance, guardian

    /// @notice Sets the spam slash fraction (≤ 50%).
    function setSpamSlashBps(uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bps > MAX_SPAM_SLASH_BPS) revert ParamOutOfBounds();
        spamSlashBps = bps;
        emit SpamSlashBpsSet(bps);
    }

    /// @notice Sets the penalty added per spam rejection and the score at which payouts reach zero.
    function setPenaltyParams(uint256 perSpam, uint256 threshold) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (threshold == 0 || perSpam > threshold || threshold > 1e9 * WAD) revert ParamOutOfBounds();
        penaltyPerSpam = perSpam;
        penaltyThreshold = threshold;
        emit PenaltyParamsSet(perSpam, threshold);
    }

    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(GUARDIAN_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IDatanetRegistry
    function currentVersion(uint256 datanetId) external view returns (uint64) {
        return _datanet(datanetId).version;
    }

    /// @inheritdoc IDatanetRegistry
    function versionRoot(uint256 datanetId, uint64 version) external view returns (bytes32) {
        return _versionRoots[datanetId][version];
    }

    /// @inheritdoc IDatanetRegistry
    function treasuryOf(uint256 datanetId) external view returns (address) {
        return _datanet(datanetId).treasury;
    }

    function getDatanet(uint256 datanetId) external view returns (Datanet memory) {
        return _datanet(datanetId);
    }

    /// @notice The contribution registered under `contentHash` (status None if there is none).
    function getContribution(bytes32 contentHash) external view returns (Contribution memory) {
        return _contributions[contentHash];
    }

    /// @notice The approved leaf of `contentHash` as hashed into the Datanet tree.
    function leafOf(bytes32 contentHash) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(contentHash))));
    }

    function stakeOf(uint256 datanetId, address account) external view returns (uint256 staked, uint256 pending) {
        Staker storage s = _stakers[datanetId][account];
        return (s.stake, s.pending);
    }

    /// @notice Submissions and bytes `account` has left today in `datanetId` (type(uint256).max if unlimited).
    function remainingQuota(uint256 datanetId, address account)
        external
        view
        returns (uint256 submissions, uint256 bytesLeft)
    {
        Datanet storage d = _datanet(datanetId);
        Usage memory u = _usage[datanetId][account];
        if (u.day != uint32(block.timestamp / 1 days)) (u.count, u.bytesUsed) = (0, 0);
        submissions = d.maxSubmissionsPerDay == 0 ? type(uint256).max : d.maxSubmissionsPerDay - u.count;
        bytesLeft = d.maxBytesPerDay == 0 ? type(uint256).max : d.maxBytesPerDay - u.bytesUsed;
    }

    /// @notice The contributor's penalty score (WAD) now, after linear decay.
    function penaltyScore(address contributor) public view returns (uint256) {
        Penalty memory p = _penalties[contributor];
        uint256 elapsed = block.timestamp - p.updatedAt;
        if (elapsed >= PENALTY_DECAY) return 0;
        return (uint256(p.score) * (PENALTY_DECAY - elapsed)) / PENALTY_DECAY;
    }

    /// @notice The factor (WAD) the attribution engine applies to the contributor's payouts:
    ///         max(0, 1 − score / threshold).
    function payoutScaleWad(address contributor) external view returns (uint256) {
        uint256 score = penaltyScore(contributor);
        uint256 threshold = penaltyThreshold;
        if (score >= threshold) return 0;
        return WAD - (score * WAD) / threshold;
    }

    // ---------------------------------------------------------------- internals

    function _applySettings(Datanet storage d, Settings calldata settings) private {
        d.policy = settings.policy;
        d.treasury = settings.treasury;
        d.requiredStake = settings.requiredStake;
        d.maxSubmissionsPerDay = settings.maxSubmissionsPerDay;
        d.maxBytesPerDay = settings.maxBytesPerDay;
    }

    function _include(
        Datanet storage d,
        uint256 datanetId,
        Contribution storage c,
        bytes32 contentHash,
        uint64 version,
        address reviewer
    ) private {
        (uint256 index,) = _trees[datanetId].push(leafOf(contentHash));
        c.status = Status.Approved;
        c.version = uint48(version);
        c.leafIndex = uint32(index);
        d.approvedCount += 1;
        emit ContributionApproved(contentHash, datanetId, reviewer, version, uint32(index));
    }

    function _newVersion(Datanet storage d, uint256 datanetId, uint64 version) private {
        bytes32 root = _trees[datanetId].root();
        d.version = version;
        d.root = root;
        _versionRoots[datanetId][version] = root;
        emit DatanetVersioned(datanetId, version, root, d.approvedCount);
    }

    function _consumeRateLimit(Datanet storage d, Usage storage u, uint64 byteSize) private {
        uint32 today = uint32(block.timestamp / 1 days);
        Usage memory next = u.day == today ? u : Usage(today, 0, 0);
        next.count += 1;
        next.bytesUsed += byteSize;
        if (d.maxSubmissionsPerDay != 0 && next.count > d.maxSubmissionsPerDay) revert RateLimited();
        if (d.maxBytesPerDay != 0 && next.bytesUsed > d.maxBytesPerDay) revert RateLimited();
        u.day = next.day;
        u.count = next.count;
        u.bytesUsed = next.bytesUsed;
    }

    function _addPenalty(address contributor) private {
        uint256 score = penaltyScore(contributor) + penaltyPerSpam;
        _penalties[contributor] = Penalty(_toU128(score), uint64(block.timestamp));
        emit PenaltyIncreased(contributor, score);
    }

    function _pending(uint256 datanetId, bytes32 contentHash) private view returns (Contribution storage c) {
        c = _contributions[contentHash];
        if (c.status != Status.Pending) revert NotPending(contentHash);
        if (c.datanetId != datanetId) revert WrongDatanet(contentHash);
    }

    function _datanet(uint256 datanetId) private view returns (Datanet storage d) {
        d = _datanets[datanetId];
        if (d.owner == address(0)) revert UnknownDatanet(datanetId);
    }

    function _ownedDatanet(uint256 datanetId) private view returns (Datanet storage d) {
        d = _datanet(datanetId);
        if (d.owner != msg.sender) revert NotDatanetOwner(datanetId, msg.sender);
    }

    function _reviewableDatanet(uint256 datanetId) private view returns (Datanet storage d) {
        d = _datanet(datanetId);
        if (d.owner != msg.sender && !isCurator[datanetId][msg.sender]) revert NotReviewer(datanetId, msg.sender);
    }

    function _toU128(uint256 v) private pure returns (uint128) {
        if (v > type(uint128).max) revert ParamOutOfBounds();
        return uint128(v);
    }
}

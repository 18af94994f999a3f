// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IDatanetRegistry} from "../datanets/IDatanetRegistry.sol";
import {IModelRegistry} from "./IModelRegistry.sol";

/// @title ModelRegistry
/// @notice Models built with ModelFactory / served by OpenLoRA: a base model, a LoRA adapter (hash + URI), the
///         Datanets and versions it was trained on (with weights that route the unattributed share of contributor
///         rewards to those Datanets' treasuries), its price per 1k input / output tokens in OPEN and its revenue
///         split between model owner, data contributors and protocol.
/// @dev Roles: `DEFAULT_ADMIN_ROLE` is governance: it sets the split bounds and may deprecate any model (abuse,
///      takedown). Each model's owner updates its pricing and adapter, transfers or deprecates it. Bounds apply when
///      a split is set; changing them later does not rewrite existing models.
///
///      The model kind (Large: span attribution, Small: gradient influence) is fixed at registration and nobody can
///      change it, not even the owner. It decides how every inference of the model is attributed, so it is part of
///      what contributors agreed to when their data was cited: an owner free to switch methods could pick, epoch by
///      epoch, whichever method credits the cheapest contributors, and epochs of one model would mix records the
///      challengers must check with two methods. A retrained adapter keeps its kind; a different kind of model is a
///      new registration.
/// @custom:invariant Every registered model's split sums to exactly 10,000 bps and, when set, had
///                   contributorsBps ≥ minContributorsBps and protocolBps ≥ minProtocolBps.
/// @custom:invariant Every model cites 1..16 Datanets, strictly increasing ids, each at a version in
///                   [1, that Datanet's version when cited], weights > 0 summing to 10,000.
/// @custom:invariant Deprecation is final.
/// @custom:invariant A model's kind never changes after registration.
contract ModelRegistry is IModelRegistry, AccessControl {
    uint256 public constant BPS = 10_000;
    uint256 public constant MAX_DATANETS = 16;
    uint256 public constant MAX_NAME_BYTES = 64;
    uint256 public constant MAX_URI_BYTES = 512;

    /// @notice A Datanet version the model was trained on and its weight for the unattributed share.
    struct DatanetRef {
        uint64 datanetId;
        uint64 version;
        uint16 weightBps;
    }

    struct Split {
        uint16 ownerBps;
        uint16 contributorsBps;
        uint16 protocolBps;
    }

    struct ModelParams {
        string name;
        ModelKind kind;
        bytes32 baseModelId; // e.g. keccak256("meta-llama/Llama-3.1-8B-Instruct")
        bytes32 adapterHash; // hash of the LoRA adapter weights
        string adapterURI;
        DatanetRef[] datanets;
        uint96 ratePer1kIn;
        uint96 ratePer1kOut;
        Split split;
    }

    struct Model {
        address owner;
        bool deprecated;
        ModelKind kind;
        uint64 registeredAt;
        uint96 ratePer1kIn;
        uint96 ratePer1kOut;
        uint16 ownerBps;
        uint16 contributorsBps;
        uint16 protocolBps;
        bytes32 baseModelId;
        bytes32 adapterHash;
        uint64 adapterVersion; // bumped on each adapter update
        string name;
        string adapterURI;
        DatanetRef[] datanets;
    }

    IDatanetRegistry public immutable datanets;

    /// @notice Lowest contributors' share a model may choose (default 30%).
    uint16 public minContributorsBps = 3_000;
    /// @notice Lowest protocol share a model may choose (default 10%).
    uint16 public minProtocolBps = 1_000;

    uint256 public modelCount;
    mapping(uint256 modelId => Model) private _models;

    event ModelRegistered(
        uint256 indexed modelId,
        address indexed owner,
        ModelKind indexed kind,
        string name,
        bytes32 baseModelId,
        bytes32 adapterHash,
        string adapterURI
    );
    event ModelDatanetsSet(uint256 indexed modelId, uint64 indexed adapterVersion, DatanetRef[] datanets);
    event ModelPricingSet(uint256 indexed modelId, uint96 ratePer1kIn, uint96 ratePer1kOut, Split split);
    event ModelAdapterUpdated(uint256 indexed modelId, uint64 indexed adapterVersion, bytes32 adapterHash, string adapterURI);
    event ModelOwnershipTransferred(uint256 indexed modelId, address indexed previousOwner, address indexed newOwner);
    event ModelDeprecated(uint256 indexed modelId, address indexed by);
    event SplitBoundsSet(uint16 minContributorsBps, uint16 minProtocolBps);

    error ZeroAddress();
    error UnknownModel(uint256 modelId);
    error NotModelOwner(uint256 modelId, address account);
    error ModelIsDeprecated(uint256 modelId);
    error InvalidString();
    error InvalidSplit();
    error ZeroRates();
    error InvalidDatanets();
    error InvalidDatanetVersion(uint256 datanetId, uint64 version);
    error ParamOutOfBounds();

    /// @param datanets_ the DatanetRegistry whose Datanets models cite.
    /// @param admin governance.
    constructor(IDatanetRegistry datanets_, address admin) {
        if (address(datanets_) == address(0) || admin == address(0)) revert ZeroAddress();
        datanets = datanets_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Registers a model owned by the caller.
    function registerModel(ModelParams calldata p) external returns (uint256 modelId) {
        if (bytes(p.name).length == 0 || bytes(p.name).length > MAX_NAME_BYTES) revert InvalidString();
        if (bytes(p.adapterURI).length > MAX_URI_BYTES) revert InvalidString();
        modelId = ++modelCount;
        Model storage m = _models[modelId];
        m.owner = msg.sender;
        m.kind = p.kind;
        m.registeredAt = uint64(block.timestamp);
        m.name = p.name;
        m.baseModelId = p.baseModelId;
        m.adapterHash = p.adapterHash;
        m.adapterURI = p.adapterURI;
        emit ModelRegistered(modelId, msg.sender, p.kind, p.name, p.baseModelId, p.adapterHash, p.adapterURI);
        _setPricing(m, modelId, p.ratePer1kIn, p.ratePer1kOut, p.split);
        _setDatanets(m, modelId, p.datanets);
    }

    /// @notice Changes the price and split; applies to inferences paid from now on.
    function setPricing(uint256 modelId, uint96 ratePer1kIn, uint96 ratePer1kOut, Split calldata split) external {
        Model storage m = _activeOwnedModel(modelId);
        _setPricing(m, modelId, ratePer1kIn, ratePer1kOut, split);
    }

    /// @notice Records a retrained adapter and the Datanet versions it was trained on.
    function updateAdapter(
        uint256 modelId,
        bytes32 adapterHash,
        string calldata adapterURI,
        DatanetRef[] calldata refs
    ) external {
        Model storage m = _activeOwnedModel(modelId);
        if (bytes(adapterURI).length > MAX_URI_BYTES) revert InvalidString();
        m.adapterHash = adapterHash;
        m.adapterURI = adapterURI;
        m.adapterVersion += 1;
        emit ModelAdapterUpdated(modelId, m.adapterVersion, adapterHash, adapterURI);
        _setDatanets(m, modelId, refs);
    }

    /// @notice Gives the model (and its future owner revenue) to `newOwner`.
    function transferModelOwnership(uint256 modelId, address newOwner) external {
        Model storage m = _activeOwnedModel(modelId);
        if (newOwner == address(0)) revert ZeroAddress();
        emit ModelOwnershipTransferred(modelId, m.owner, newOwner);
        m.owner = newOwner;
    }

    /// @notice Retires the model for good: it can no longer be paid or changed. Its owner or governance.
    function deprecate(uint256 modelId) external {
        Model storage m = _model(modelId);
        if (m.owner != msg.sender && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert NotModelOwner(modelId, msg.sender);
        }
        if (m.deprecated) revert ModelIsDeprecated(modelId);
        m.deprecated = true;
        emit ModelDeprecated(modelId, msg.sender);
    }

    /// @notice Sets the lowest contributors' and protocol shares a model may choose.
    function setSplitBounds(uint16 minContributors, uint16 minProtocol) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (uint256(minContributors) + minProtocol > BPS) revert ParamOutOfBounds();
        minContributorsBps = minContributors;
        minProtocolBps = minProtocol;
        emit SplitBoundsSet(minContributors, minProtocol);
    }

    /// @inheritdoc IModelRegistry
    function pricing(uint256 modelId) external view returns (Pricing memory) {
        Model storage m = _model(modelId);
        return Pricing({
            owner: m.owner,
            ratePer1kIn: m.ratePer1kIn,
            ratePer1kOut: m.ratePer1kOut,
            ownerBps: m.ownerBps,
            contributorsBps: m.contributorsBps,
            protocolBps: m.protocolBps,
            active: !m.deprecated
        });
    }

    /// @inheritdoc IModelRegistry
    function kindOf(uint256 modelId) external view returns (ModelKind) {
        return _model(modelId).kind;
    }

    function getModel(uint256 modelId) external view returns (Model memory) {
        return _model(modelId);
    }

    function datanetsOf(uint256 modelId) external view returns (DatanetRef[] memory) {
        return _model(modelId).datanets;
    }

    // ---------------------------------------------------------------- internals

    function _setPricing(Model storage m, uint256 modelId, uint96 rateIn, uint96 rateOut, Split calldata split)
        private
    {
        if (rateIn == 0 && rateOut == 0) revert ZeroRates();
        if (
            uint256(split.ownerBps) + split.contributorsBps + split.protocolBps != BPS
                || split.contributorsBps < minContributorsBps || split.protocolBps < minProtocolBps
        ) revert InvalidSplit();
        m.ratePer1kIn = rateIn;
        m.ratePer1kOut = rateOut;
        m.ownerBps = split.ownerBps;
        m.contributorsBps = split.contributorsBps;
        m.protocolBps = split.protocolBps;
        emit ModelPricingSet(modelId, rateIn, rateOut, split);
    }

    function _setDatanets(Model storage m, uint256 modelId, DatanetRef[] calldata refs) private {
        if (refs.length == 0 || refs.length > MAX_DATANETS) revert InvalidDatanets();
        delete m.datanets;
        uint256 weightSum;
        uint256 previousId;
        for (uint256 i = 0; i < refs.length; ++i) {
            DatanetRef calldata r = refs[i];
            // Strictly increasing ids: no duplicates without a quadratic check.
            if (r.datanetId <= previousId || r.weightBps == 0) revert InvalidDatanets();
            previousId = r.datanetId;
            // currentVersion reverts for an unknown Datanet; version 0 is the empty dataset.
            if (r.version == 0 || r.version > datanets.currentVersion(r.datanetId)) {
                revert InvalidDatanetVersion(r.datanetId, r.version);
            }
            weightSum += r.weightBps;
            m.datanets.push(r);
        }
        if (weightSum != BPS) revert InvalidDatanets();
        emit ModelDatanetsSet(modelId, m.adapterVersion, refs);
    }

    function _model(uint256 modelId) private view returns (Model storage m) {
        m = _models[modelId];
        if (m.owner == address(0)) revert UnknownModel(modelId);
    }

    function _activeOwnedModel(uint256 modelId) private view returns (Model storage m) {
        m = _model(modelId);
        if (m.owner != msg.sender) revert NotModelOwner(modelId, msg.sender);
        if (m.deprecated) revert ModelIsDeprecated(modelId);
    }
}

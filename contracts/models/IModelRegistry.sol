// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IModelRegistry
/// @notice What AttributionRewards reads to price and split an inference, and what the attribution engine reads to
///         pick a model's scorer.
interface IModelRegistry {
    /// @notice How inferences of the model are attributed, which picks the attribution engine's scorer.
    /// @param Large a model served from a base model + LoRA adapter: span matching of its output against the
    ///        Datanets' contents (suffix-array infini-gram style).
    /// @param Small a small model trained on the Datanets themselves: gradient influence (TracIn over its saved
    ///        checkpoints) of each training contribution on the inference.
    enum ModelKind {
        Large,
        Small
    }

    /// @notice A model's price and revenue split at this moment.
    /// @param owner receives the model owner's part.
    /// @param ratePer1kIn fee token wei per 1,000 input tokens.
    /// @param ratePer1kOut fee token wei per 1,000 output tokens.
    /// @param ownerBps model owner's share of the model fee (basis points).
    /// @param contributorsBps data contributors' share (basis points).
    /// @param protocolBps protocol / stakers' share (basis points); the three sum to 10,000.
    /// @param active false once deprecated: it can no longer be paid.
    struct Pricing {
        address owner;
        uint96 ratePer1kIn;
        uint96 ratePer1kOut;
        uint16 ownerBps;
        uint16 contributorsBps;
        uint16 protocolBps;
        bool active;
    }

    /// @dev Reverts with `UnknownModel` for an id that was never registered.
    function pricing(uint256 modelId) external view returns (Pricing memory);

    /// @notice The model's kind, fixed at registration. Reverts with `UnknownModel` for an unknown id.
    function kindOf(uint256 modelId) external view returns (ModelKind);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IDatanetRegistry
/// @notice What other contracts (ModelRegistry) and the attribution engine read from the Datanet registry.
interface IDatanetRegistry {
    /// @notice The Datanet's current version: the number of approval batches so far (0 = nothing approved yet).
    /// @dev Reverts with `UnknownDatanet` for an id that was never created.
    function currentVersion(uint256 datanetId) external view returns (uint64);

    /// @notice The Merkle root of the Datanet's approved contribution hashes as of `version` (0 if none).
    function versionRoot(uint256 datanetId, uint64 version) external view returns (bytes32);

    /// @notice Where the Datanet's slashed stakes and unattributed reward shares go.
    function treasuryOf(uint256 datanetId) external view returns (address);
}

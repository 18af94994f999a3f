import { parseAbi } from 'viem'

/**
 * The parts of the contracts' ABIs the engine uses, written out so the package runs without the Hardhat
 * artifacts (the docker image has none). The chain test runs them against the compiled contracts.
 */
export const datanetRegistryAbi = parseAbi([
  'event ContributionSubmitted(bytes32 indexed contentHash, uint256 indexed datanetId, address indexed contributor, bytes dataRef, uint64 byteSize, uint64 tokenCount)',
  'event ContributionApproved(bytes32 indexed contentHash, uint256 indexed datanetId, address indexed reviewer, uint64 version, uint32 leafIndex)',
  'function treasuryOf(uint256 datanetId) view returns (address)',
])

export const modelRegistryAbi = parseAbi([
  'struct DatanetRef { uint64 datanetId; uint64 version; uint16 weightBps; }',
  'struct Pricing { address owner; uint96 ratePer1kIn; uint96 ratePer1kOut; uint16 ownerBps; uint16 contributorsBps; uint16 protocolBps; bool active; }',
  'function pricing(uint256 modelId) view returns (Pricing)',
  'function datanetsOf(uint256 modelId) view returns (DatanetRef[])',
  'function datanets() view returns (address)',
  'function kindOf(uint256 modelId) view returns (uint8)',
  'event ModelRegistered(uint256 indexed modelId, address indexed owner, uint8 indexed kind, string name, bytes32 baseModelId, bytes32 adapterHash, string adapterURI)',
])

export const attributionRewardsAbi = parseAbi([
  'struct Payment { uint64 epoch; uint64 inTokens; uint64 outTokens; uint256 modelFee; uint256 platformFee; uint256 ownerPart; uint256 contributorsPart; uint256 protocolPart; bytes32 requestRef; }',
  'struct SettlementInput { uint64 epoch; bytes32 rewardsRoot; bytes32 inferencesRoot; uint256 totalAmount; uint64 inferenceCount; uint32 leafCount; }',
  'struct Escrow { uint96 contributors; uint64 inferenceCount; uint32 attempt; }',
  'struct Settlement { bytes32 rewardsRoot; uint96 totalAmount; uint96 claimedAmount; uint48 claimsOpenAt; uint8 status; address attestor; uint48 postedAt; uint32 leafCount; bytes32 inferencesRoot; }',
  'event InferencePaid(uint256 indexed inferenceId, uint256 indexed modelId, address indexed payer, Payment payment)',
  'event Settled(uint64 indexed epoch, address indexed attestor, uint32 attempt, bytes32 rewardsRoot, bytes32 inferencesRoot, uint256 totalAmount, uint64 inferenceCount, uint32 leafCount, uint48 claimsOpenAt)',
  'function settle(SettlementInput s)',
  'function settleWithSignature(SettlementInput s, address attestor, bytes signature)',
  'function settlementDigest(SettlementInput s) view returns (bytes32)',
  'function getEscrow(uint64 epoch) view returns (Escrow)',
  'function getSettlement(uint64 epoch) view returns (Settlement)',
  'function isBondedAttestor(address attestor) view returns (bool)',
  'function currentEpoch() view returns (uint64)',
  'function epochLength() view returns (uint256)',
  'function genesisTime() view returns (uint256)',
  'function models() view returns (address)',
  'function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)',
])

/** AttributionRewards.Status: None, Posted, Challenged. */
export const SETTLEMENT_STATUS = { none: 0, posted: 1, challenged: 2 } as const

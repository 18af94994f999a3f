import { parseAbi } from 'viem'

/** OptimismPortal 2.8 (contracts-bedrock 0.17.3): what the relayer reads, calls and watches. */
export const portalAbi = parseAbi([
  'struct WithdrawalTransaction { uint256 nonce; address sender; address target; uint256 value; uint256 gasLimit; bytes data; }',
  'struct OutputRootProof { bytes32 version; bytes32 stateRoot; bytes32 messagePasserStorageRoot; bytes32 latestBlockhash; }',
  'function proveWithdrawalTransaction(WithdrawalTransaction _tx, uint256 _l2OutputIndex, OutputRootProof _outputRootProof, bytes[] _withdrawalProof)',
  'function finalizeWithdrawalTransaction(WithdrawalTransaction _tx)',
  'function provenWithdrawals(bytes32) view returns (bytes32 outputRoot, uint128 timestamp, uint128 l2OutputIndex)',
  'function finalizedWithdrawals(bytes32) view returns (bool)',
  'event WithdrawalProven(bytes32 indexed withdrawalHash, address indexed from, address indexed to)',
  'event WithdrawalFinalized(bytes32 indexed withdrawalHash, bool success)',
  'event TransactionDeposited(address indexed from, address indexed to, uint256 indexed version, bytes opaqueData)',
])

/** L2OutputOracle v1.8.0: the outputs withdrawals are proven against. */
export const oracleAbi = parseAbi([
  'function latestBlockNumber() view returns (uint256)',
  'function getL2OutputIndexAfter(uint256 _l2BlockNumber) view returns (uint256)',
  'function getL2Output(uint256 _l2OutputIndex) view returns ((bytes32 outputRoot, uint128 timestamp, uint128 l2BlockNumber))',
  'function FINALIZATION_PERIOD_SECONDS() view returns (uint256)',
])

import { bytesToHex, concatHex, type Hex, hexToBytes, keccak256, size } from 'viem'
import { OutputRootError } from './errors.js'

export const OUTPUT_ROOT_VERSION_V0: Hex = '0x0000000000000000000000000000000000000000000000000000000000000000'

/**
 * The preimage of an output root, as `OptimismPortal.proveWithdrawalTransaction` takes it (`Types.OutputRootProof`).
 * `messagePasserStorageRoot` is the storage root of 0x4200…0016; `latestBlockhash` the L2 block's hash.
 */
export type OutputRootProof = {
  version: Hex
  stateRoot: Hex
  messagePasserStorageRoot: Hex
  latestBlockhash: Hex
}

/** The 128-byte v0 preimage: version || stateRoot || messagePasserStorageRoot || blockHash (op-service `OutputV0`). */
export function encodeOutputRootProof(proof: OutputRootProof): Hex {
  if (proof.version.toLowerCase() !== OUTPUT_ROOT_VERSION_V0) {
    throw new OutputRootError('only output root version 0 is defined', { version: proof.version })
  }
  for (const field of ['stateRoot', 'messagePasserStorageRoot', 'latestBlockhash'] as const) {
    if (size(proof[field]) !== 32) throw new OutputRootError(`${field} must be 32 bytes`, { [field]: proof[field] })
  }
  return concatHex([proof.version, proof.stateRoot, proof.messagePasserStorageRoot, proof.latestBlockhash])
}

/** `Hashing.hashOutputRootProof`: the output root the L2OutputOracle stores. */
export function hashOutputRootProof(proof: OutputRootProof): Hex {
  return keccak256(encodeOutputRootProof(proof))
}

/** The v0 output root of an L2 block, from its state root, the message passer's storage root and its hash. */
export function outputRootV0(block: { stateRoot: Hex; messagePasserStorageRoot: Hex; blockHash: Hex }): Hex {
  return hashOutputRootProof({
    version: OUTPUT_ROOT_VERSION_V0,
    stateRoot: block.stateRoot,
    messagePasserStorageRoot: block.messagePasserStorageRoot,
    latestBlockhash: block.blockHash,
  })
}

/** op-service `UnmarshalOutput`: 128 bytes with a zero version word, else `OutputRootError`. */
export function decodeOutputRootProof(preimage: Hex | Uint8Array): OutputRootProof {
  const bytes = typeof preimage === 'string' ? hexToBytes(preimage) : preimage
  if (bytes.length < 32) throw new OutputRootError('output shorter than its version word', { length: bytes.length })
  const word = (i: number) => bytesToHex(bytes.subarray(32 * i, 32 * (i + 1)))
  if (word(0) !== OUTPUT_ROOT_VERSION_V0) throw new OutputRootError('unknown output version', { version: word(0) })
  if (bytes.length !== 128) throw new OutputRootError('a v0 output is 128 bytes', { length: bytes.length })
  return { version: word(0), stateRoot: word(1), messagePasserStorageRoot: word(2), latestBlockhash: word(3) }
}

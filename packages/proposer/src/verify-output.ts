import { verifyMerkleProof } from '@ethereumjs/mpt'
import { L2_TO_L1_MESSAGE_PASSER, outputRootV0 } from '@opl/protocol'
import { bytesToHex, fromRlp, type Hex, hexToBytes, keccak256, type PublicClient } from 'viem'
import { OutputMismatchError } from './errors.js'
import type { OutputResponse } from './rollup-rpc.js'

/**
 * Recomputes the output root of `output.blockRef.number` from the L2 execution client — its block header
 * (`stateRoot`, `hash`) and `eth_getProof(L2ToL1MessagePasser)` with the account proof checked against the state
 * root — and throws unless every part and the root equal what the rollup node said. Two sources must agree before
 * anything is signed.
 */
export async function verifyOutput(l2: PublicClient, output: OutputResponse): Promise<Hex> {
  const blockNumber = output.blockRef.number
  const [block, proof] = await Promise.all([
    l2.getBlock({ blockNumber }),
    l2.getProof({ address: L2_TO_L1_MESSAGE_PASSER, storageKeys: [], blockNumber }),
  ])
  const mismatch = (what: string, expected: unknown, actual: unknown) => {
    throw new OutputMismatchError(`output at ${blockNumber}: ${what} differs from the L2 execution client`, {
      blockNumber,
      expected,
      actual,
    })
  }
  if (block.hash !== output.blockRef.hash) mismatch('block hash', block.hash, output.blockRef.hash)
  if (block.stateRoot !== output.stateRoot) mismatch('state root', block.stateRoot, output.stateRoot)
  if (proof.storageHash !== output.withdrawalStorageRoot)
    mismatch('message passer storage root', proof.storageHash, output.withdrawalStorageRoot)
  const storageRoot = await provenStorageRoot(proof.accountProof, block.stateRoot)
  if (storageRoot !== proof.storageHash) mismatch('account proof storage root', storageRoot, proof.storageHash)
  const root = outputRootV0({
    stateRoot: block.stateRoot,
    messagePasserStorageRoot: proof.storageHash,
    blockHash: block.hash as Hex,
  })
  if (root !== output.outputRoot) mismatch('output root', root, output.outputRoot)
  return root
}

/** The message passer's storage root as proven by `accountProof` under `stateRoot` (secure trie: key = keccak(address)). */
async function provenStorageRoot(accountProof: readonly Hex[], stateRoot: Hex): Promise<Hex | undefined> {
  const first = accountProof[0]
  if (!first || keccak256(first) !== stateRoot) return undefined
  const value = await verifyMerkleProof(
    hexToBytes(keccak256(L2_TO_L1_MESSAGE_PASSER)),
    accountProof.map((node) => hexToBytes(node)),
  ).catch(() => null)
  if (!value) return undefined
  // Account RLP: [nonce, balance, storageRoot, codeHash].
  const fields = fromRlp(bytesToHex(value), 'hex')
  return Array.isArray(fields) && typeof fields[2] === 'string' ? (fields[2] as Hex) : undefined
}

import createKeccakHash from 'keccak'
import type { Hex } from 'viem'

/**
 * Native keccak256 (the `keccak` addon ships linux-x64 prebuilds). viem's pure-JS keccak took 10.5 s for one 16 MiB
 * blob on this 2-core box under load; every put and every disk read hashes the whole blob, so this is the hot path.
 */
export function keccak256Native(data: Uint8Array): Hex {
  const digest = createKeccakHash('keccak256')
    .update(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
    .digest()
  return `0x${digest.toString('hex')}`
}

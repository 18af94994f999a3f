import { createRequire } from 'node:module'

type KeccakState = {
  initialize(rate: number, capacity: number): void
  absorb(data: Buffer): void
  absorbLastFewBits(bits: number): void
  squeeze(length: number): Buffer
}
// The `keccak` package's native sponge, used directly: its `createKeccakHash()` wraps every hash in a new
// readable-stream Transform, which cost more than the hash itself (≈2x per 32–532 B hash, 8% of an ERC-20 block's
// samples). One sponge is reused: hashing is synchronous, so calls never interleave.
const requireFromKeccak = createRequire(createRequire(import.meta.url).resolve('keccak'))
const NativeKeccak = requireFromKeccak('node-gyp-build')(
  requireFromKeccak.resolve('./package.json').replace(/package\.json$/, ''),
) as new () => KeccakState
const sponge = new NativeKeccak()

/**
 * keccak-256 by the `keccak` package's native addon (linux-x64 prebuild): 10–30x viem's JS keccak on the inputs a
 * node and a devnet hash by the thousand (trie nodes, init code, addresses).
 */
export function keccak256(data: Uint8Array): Uint8Array {
  sponge.initialize(1088, 512)
  sponge.absorb(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
  sponge.absorbLastFewBits(0x01)
  const digest = sponge.squeeze(32)
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}

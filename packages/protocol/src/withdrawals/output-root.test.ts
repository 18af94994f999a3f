import fc from 'fast-check'
import { encodeAbiParameters, type Hex, keccak256, pad } from 'viem'
import { describe, expect, test } from 'vitest'
import { OutputRootError } from './errors.js'
import {
  decodeOutputRootProof,
  encodeOutputRootProof,
  hashOutputRootProof,
  OUTPUT_ROOT_VERSION_V0,
  type OutputRootProof,
  outputRootV0,
} from './output-root.js'

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b): Hex => `0x${Buffer.from(b).toString('hex')}`)

describe('output root v0', () => {
  // kona `crates/protocol/protocol/src/output_root.rs` test_hash_output_root / test_encode_output_root.
  const kona = { stateRoot: pad('0xbeef'), messagePasserStorageRoot: pad('0xbabe'), blockHash: pad('0xc0de') }

  test('matches kona’s vector', () => {
    expect(outputRootV0(kona)).toBe('0x0c39fb6b07cf6694b13e63e59f7b15255be1c93a4d6d3e0da6c99729647c0d11')
  })

  test('preimage is version || stateRoot || messagePasserStorageRoot || blockHash (128 bytes)', () => {
    const preimage = encodeOutputRootProof({
      version: OUTPUT_ROOT_VERSION_V0,
      stateRoot: kona.stateRoot,
      messagePasserStorageRoot: kona.messagePasserStorageRoot,
      latestBlockhash: kona.blockHash,
    })
    expect(preimage).toBe(`0x${'00'.repeat(32)}${'00'.repeat(30)}beef${'00'.repeat(30)}babe${'00'.repeat(30)}c0de`)
  })

  test('equals Hashing.hashOutputRootProof = keccak256(abi.encode(4 × bytes32)) on random proofs', () => {
    fc.assert(
      fc.property(bytes32, bytes32, bytes32, (stateRoot, messagePasserStorageRoot, latestBlockhash) => {
        const proof: OutputRootProof = {
          version: OUTPUT_ROOT_VERSION_V0,
          stateRoot,
          messagePasserStorageRoot,
          latestBlockhash,
        }
        const abi = encodeAbiParameters(
          [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }],
          [proof.version, stateRoot, messagePasserStorageRoot, latestBlockhash],
        )
        expect(hashOutputRootProof(proof)).toBe(keccak256(abi))
        expect(decodeOutputRootProof(encodeOutputRootProof(proof))).toEqual(proof)
      }),
      { numRuns: 300 },
    )
  })

  test('a version other than 0 is an OutputRootError', () => {
    const proof = {
      version: pad('0x01'),
      stateRoot: kona.stateRoot,
      messagePasserStorageRoot: kona.stateRoot,
      latestBlockhash: kona.stateRoot,
    }
    expect(() => hashOutputRootProof(proof)).toThrow(OutputRootError)
  })

  test('a field that is not 32 bytes is an OutputRootError naming it', () => {
    const proof = {
      version: OUTPUT_ROOT_VERSION_V0,
      stateRoot: kona.stateRoot,
      messagePasserStorageRoot: '0xbabe' as Hex,
      latestBlockhash: kona.blockHash,
    }
    expect(() => hashOutputRootProof(proof)).toThrow(
      expect.objectContaining({ details: { messagePasserStorageRoot: '0xbabe' } }),
    )
  })

  // op-service/eth/output_test.go TestOutputV0Codec.
  test('decoding rejects an unknown version and a wrong length like op-service UnmarshalOutput', () => {
    const unknownVersion = new Uint8Array(33)
    unknownVersion[0] = 0x0a
    unknownVersion[32] = 0x0a
    expect(() => decodeOutputRootProof(unknownVersion)).toThrow(/unknown output version/)
    expect(() => decodeOutputRootProof(new Uint8Array(65).fill(0x0a, 64))).toThrow(/128 bytes/)
    expect(() => decodeOutputRootProof(new Uint8Array(31))).toThrow(OutputRootError)
  })
})

import fc from 'fast-check'
import { bytesToHex, type Hex, hexToBytes, stringToBytes } from 'viem'
import { describe, expect, test } from 'vitest'
import { ProtocolError } from '../errors.js'
import {
  type AltDaCommitment,
  commitmentFromHex,
  commitmentToHex,
  decodeCommitment,
  encodeCommitment,
} from './commitment.js'
import { decodeEigenDaCommitment, eigenDaCommitment } from './eigenda.js'
import {
  CommitmentHexError,
  CommitmentLengthError,
  CommitmentMismatchError,
  EmptyCommitmentError,
  NotEigenDaCommitmentError,
  TxDataVersionError,
  UnknownCertVersionError,
  UnknownCommitmentTypeError,
} from './errors.js'
import { keccakCommitment, verifyKeccakCommitment } from './keccak-commitment.js'
import { decodeCommitmentTxData, encodeCommitmentTxData } from './tx-data.js'

// A real EigenDA V1 commitment: op-node on Celo Alfajores asked eigenda-proxy for `/get/0x<this>`, and the proxy
// logged it as `Mode:optimism_generic CertVersion:0` with the cert `f90197…` (an RLP list of 3 + 0x197 bytes).
const celoEigenDaV1 =
  '0x010000f90197f853f842a00ee10d67d4a81fa96b37b608e4b6cca5d211aa3f7559d45937c5efe9d8f50e6fa02f04f3cf4bef3972e8f07ed26c26d730233abead512689e15b3c56d31a7dda4f821000cbc480213710c50121378180f9013f83026f7e1cf873eba0cf26c35dadc9699e08d25fb5b0fd2825857696e2b286b08a1178129d2369614282000182465a8334e908a019d28e0e5aade7f99b41a9e038daa87876b9a10cd53e4e35aa05476db3f37ebf008334e95da097980f0f59dde49db7b509ab81a7a8ad71d13eba5c95a7ae726aeec2bda6eb6eb8c09ce6c8d5715553355d4cc1a110754052b4f44f5c838c92a900cc21e299179131818a1c42946028d1f510882b054449b5680ce32f07ed4c5f174064053c022c050df49bafeae89fc73194c91eec70b99f7e5833c17d66d5cf7e648ce083e5dcc693d7dba57bcb28d770d7471f88c1375fb91567dacc06e860ebd060b23dd5bde81a284231adc5be4251053519affffaf6ed0f1cdb3cb13ec46d3eacd78aff968766f36e58a3d561f19e5c127d67027e4ade5b3a2d68a4b9cc36ff4e9d971c6829820001'

const keccakOfEmpty = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'

describe('keccak commitment', () => {
  test('is 0x00 || keccak256(input), and 0x01 0x00 || keccak256(input) in calldata', () => {
    const commitment = keccakCommitment(new Uint8Array())
    expect(commitmentToHex(commitment)).toBe(`0x00${keccakOfEmpty.slice(2)}`)
    expect(bytesToHex(encodeCommitmentTxData(commitment))).toBe(`0x0100${keccakOfEmpty.slice(2)}`)
  })

  test('verifies the data it was made from and rejects other data', () => {
    const input = stringToBytes('\u0000frames')
    const commitment = keccakCommitment(input)
    expect(() => verifyKeccakCommitment(commitment, input)).not.toThrow()
    expect(() => verifyKeccakCommitment(commitment, stringToBytes('wrong data'))).toThrow(CommitmentMismatchError)
  })
})

describe('decodeCommitment', () => {
  // op-alt-da commitment_test.go TestCommitmentData: all four inputs start with an ASCII letter, not a type byte.
  test.each(['abcdefghijklmnopqrstuvwxyz012345', 'ab_baddata_yz012345', "any length of data! wow, that's so generic!"])(
    '%j has an unknown type byte',
    (text) => {
      expect(() => decodeCommitment(stringToBytes(text))).toThrow(UnknownCommitmentTypeError)
    },
  )

  const cases: [string, Hex, new (...args: never[]) => Error][] = [
    ['empty', '0x', EmptyCommitmentError],
    ['keccak with 31 bytes', `0x00${'11'.repeat(31)}`, CommitmentLengthError],
    ['keccak with 33 bytes', `0x00${'11'.repeat(33)}`, CommitmentLengthError],
    ['generic without da_layer', '0x01', CommitmentLengthError],
    ['type 0x02', `0x02${'11'.repeat(32)}`, UnknownCommitmentTypeError],
  ]
  test.each(cases)('%s is a %O', (_, hex, errorClass) => {
    expect(() => decodeCommitment(hexToBytes(hex))).toThrow(errorClass)
  })

  test('the offending type byte is in details', () => {
    expect(() => decodeCommitment(Uint8Array.of(0x7f))).toThrow(
      expect.objectContaining({ details: { commitmentType: 0x7f } }),
    )
  })

  test('a generic commitment with only a da_layer byte is valid, as in op-node', () => {
    expect(decodeCommitment(Uint8Array.of(0x01, 0xff))).toEqual({
      type: 'generic',
      daLayer: 0xff,
      payload: new Uint8Array(),
    })
  })

  test('random bytes either decode to a commitment that re-encodes to them, or throw a ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        let commitment: AltDaCommitment
        try {
          commitment = decodeCommitment(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError)
          return
        }
        expect(encodeCommitment(commitment)).toEqual(bytes)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('calldata and path forms', () => {
  const anyCommitment: fc.Arbitrary<AltDaCommitment> = fc.oneof(
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => ({ type: 'keccak' as const, hash: bytesToHex(b) })),
    fc.record({
      type: fc.constant('generic' as const),
      daLayer: fc.integer({ min: 0, max: 255 }),
      payload: fc.uint8Array({ maxLength: 200 }),
    }),
  )

  test('encode -> decode round-trips through bytes, calldata and hex', () => {
    fc.assert(
      fc.property(anyCommitment, (commitment) => {
        expect(decodeCommitment(encodeCommitment(commitment))).toEqual(commitment)
        expect(decodeCommitmentTxData(encodeCommitmentTxData(commitment))).toEqual(commitment)
        expect(commitmentFromHex(commitmentToHex(commitment))).toEqual(commitment)
        expect(commitmentFromHex(commitmentToHex(commitment).slice(2))).toEqual(commitment)
      }),
      { numRuns: 1000 },
    )
  })

  test('calldata starting with 0x00 (frames) is a TxDataVersionError', () => {
    expect(() => decodeCommitmentTxData(Uint8Array.of(0x00, 0x01))).toThrow(TxDataVersionError)
    expect(() => decodeCommitmentTxData(new Uint8Array())).toThrow(EmptyCommitmentError)
  })

  test.each(['0xzz', '0x0', 'not hex'])('path key %j is a CommitmentHexError', (key) => {
    expect(() => commitmentFromHex(key)).toThrow(CommitmentHexError)
  })
})

describe('EigenDA generic commitments', () => {
  test('decodes the real Celo V1 commitment: da_layer 0x00, cert version 0x00, 410-byte RLP cert', () => {
    const commitment = commitmentFromHex(celoEigenDaV1)
    if (commitment.type !== 'generic') throw new Error('expected a generic commitment')
    expect(commitment.daLayer).toBe(0x00)
    const { certVersion, cert } = decodeEigenDaCommitment(commitment)
    expect(certVersion).toBe(0x00)
    expect(cert.length).toBe(410)
    expect(bytesToHex(cert.subarray(0, 3))).toBe('0xf90197')
    expect(commitmentToHex(eigenDaCommitment({ certVersion, cert }))).toBe(celoEigenDaV1)
    expect(bytesToHex(encodeCommitmentTxData(commitment))).toBe(`0x01${celoEigenDaV1.slice(2)}`)
  })

  test('a V2 cert is written 0x01 0x00 0x01 <cert>', () => {
    const commitment = eigenDaCommitment({ certVersion: 0x01, cert: Uint8Array.of(0xc1, 0x80) })
    expect(commitmentToHex(commitment)).toBe('0x010001c180')
  })

  test('another da_layer is a NotEigenDaCommitmentError', () => {
    const celestia = { type: 'generic' as const, daLayer: 0x0c, payload: Uint8Array.of(0x00, 0x01) }
    expect(() => decodeEigenDaCommitment(celestia)).toThrow(NotEigenDaCommitmentError)
  })

  test('cert version 0x03 is an UnknownCertVersionError', () => {
    expect(() => decodeEigenDaCommitment(decodeCommitment(hexToBytes('0x010003c0')) as never)).toThrow(
      UnknownCertVersionError,
    )
  })

  test.each(['0x0100', '0x010001'])('%s (no version or no cert) is a CommitmentLengthError', (hex) => {
    expect(() => decodeEigenDaCommitment(decodeCommitment(hexToBytes(hex as Hex)) as never)).toThrow(
      CommitmentLengthError,
    )
  })
})

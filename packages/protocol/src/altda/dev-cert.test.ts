import fc from 'fast-check'
import { bytesToHex, keccak256, stringToBytes } from 'viem'
import { describe, expect, test } from 'vitest'
import { commitmentFromHex, commitmentToHex, type GenericCommitment } from './commitment.js'
import { decodeDevCert, devCertCommitment, devCertFor, encodeDevCert, verifyDevCert } from './dev-cert.js'
import { decodeEigenDaCommitment } from './eigenda.js'
import { DevCertError, DevCertMismatchError } from './errors.js'
import { decodeCommitmentTxData, encodeCommitmentTxData } from './tx-data.js'

const data = stringToBytes('\u0000hello frames')
const hash = keccak256(data).slice(2)

describe('dev DA certificate', () => {
  test('has the documented 45-byte layout: magic, format, keccak256(data), uint64 BE length', () => {
    expect(bytesToHex(encodeDevCert(devCertFor(data)))).toBe(`0x4f504c4400${hash}000000000000000d`)
  })

  test('on L1 it is 01 01 00 01 <cert> (alt-DA tx, generic, EigenDA, cert version V2)', () => {
    const calldata = encodeCommitmentTxData(devCertCommitment(data))
    expect(bytesToHex(calldata)).toBe(`0x010100014f504c4400${hash}000000000000000d`)
    expect(calldata.length).toBe(49)
  })

  test('a reader gets from the calldata back to a cert that verifies the data', () => {
    const commitment = decodeCommitmentTxData(encodeCommitmentTxData(devCertCommitment(data))) as GenericCommitment
    const { certVersion, cert } = decodeEigenDaCommitment(commitment)
    expect(certVersion).toBe(0x01)
    expect(() => verifyDevCert(decodeDevCert(cert), data)).not.toThrow()
  })

  test('decode inverts encode for random data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const cert = devCertFor(bytes)
        expect(decodeDevCert(encodeDevCert(cert))).toEqual(cert)
        const key = commitmentToHex(devCertCommitment(bytes))
        const decoded = decodeDevCert(decodeEigenDaCommitment(commitmentFromHex(key) as GenericCommitment).cert)
        expect(decoded).toEqual({ dataHash: keccak256(bytes), dataLength: bytes.length })
      }),
      { numRuns: 300 },
    )
  })

  test('data with one byte changed fails on dataHash', () => {
    const tampered = data.slice()
    tampered[3] = (tampered[3] as number) ^ 1
    expect(() => verifyDevCert(devCertFor(data), tampered)).toThrow(
      expect.objectContaining({
        name: 'DevCertMismatchError',
        details: expect.objectContaining({ field: 'dataHash' }),
      }),
    )
  })

  test('truncated data fails on dataLength', () => {
    expect(() => verifyDevCert(devCertFor(data), data.subarray(0, 5))).toThrow(
      expect.objectContaining({ details: { field: 'dataLength', expected: data.length, actual: 5 } }),
    )
    expect(() => verifyDevCert(devCertFor(data), data.subarray(0, 5))).toThrow(DevCertMismatchError)
  })

  test('a real EigenDA V2 cert (an RLP list) is not a dev cert', () => {
    const rlpCert = new Uint8Array(45)
    rlpCert[0] = 0xf9
    expect(() => decodeDevCert(rlpCert)).toThrow(/magic/)
  })

  test.each([
    ['too short', encodeDevCert(devCertFor(data)).subarray(0, 44)],
    ['too long', Uint8Array.of(...encodeDevCert(devCertFor(data)), 0)],
    ['unknown format', Uint8Array.from(encodeDevCert(devCertFor(data)), (b, i) => (i === 4 ? 1 : b))],
  ])('%s is a DevCertError', (_, cert) => {
    expect(() => decodeDevCert(cert)).toThrow(DevCertError)
  })
})

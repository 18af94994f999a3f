import { getAddress, type Hex, hexToBytes, padHex } from 'viem'
import { describe, expect, test } from 'vitest'
import {
  decodeDepositTransaction,
  encodeDepositTransaction,
  hashDepositTransaction,
} from '../deposits/deposit-transaction.js'
import { l1InfoDepositSourceHash } from '../deposits/source-hash.js'
import { BLOB_BASE_FEE_UPDATE_FRACTION } from './blob-base-fee.js'
import { decodeL1InfoEcotone } from './ecotone-calldata.js'
import { ScalarVersionError } from './errors.js'
import { encodeEcotoneScalar } from './fee-scalars.js'
import {
  buildL1InfoDepositTransaction,
  L1_BLOCK_ADDRESS,
  L1_INFO_DEPOSITOR_ADDRESS,
  l1InfoDepositFromBlockInfo,
} from './l1-info-transaction.js'
import { baseL1InfoTx, unichainL1InfoTx } from './test-vectors.js'

test('the depositor and L1Block addresses', () => {
  expect(L1_INFO_DEPOSITOR_ADDRESS.toLowerCase()).toBe('0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001')
  expect(L1_BLOCK_ADDRESS).toBe('0x4200000000000000000000000000000000000015')
})

describe('real L1-info txs are rebuilt exactly: source hash and tx hash', () => {
  test.each([
    ['Base mainnet', baseL1InfoTx],
    ['Unichain', unichainL1InfoTx],
  ])('%s', (_name, vector) => {
    const tx = l1InfoDepositFromBlockInfo(decodeL1InfoEcotone(vector.input))
    expect(tx).toEqual({
      sourceHash: vector.sourceHash,
      from: L1_INFO_DEPOSITOR_ADDRESS,
      to: L1_BLOCK_ADDRESS,
      mint: 0n,
      value: 0n,
      gas: vector.gas,
      isSystemTx: false,
      data: vector.input,
    })
    expect(hashDepositTransaction(tx)).toBe(vector.hash)
  })
})

describe('from an L1 origin header and the system config', () => {
  const origin = {
    number: 20_000_000n,
    timestamp: 1_717_000_000n,
    hash: `0x${'5a'.repeat(32)}` as Hex,
    baseFeePerGas: 7_000_000_000n,
  }
  const batcherAddr = getAddress(`0x${'ba'.repeat(20)}`)

  test('Ecotone calldata with the origin, sequence number, batcher and scalars; op-node gas and flags', () => {
    const tx = buildL1InfoDepositTransaction({
      origin: { ...origin, excessBlobGas: 10n * 1024n * 1024n },
      sequenceNumber: 5n,
      systemConfig: { batcherAddr, scalar: encodeEcotoneScalar({ baseFeeScalar: 1368, blobBaseFeeScalar: 810949 }) },
      blobBaseFeeUpdateFraction: BLOB_BASE_FEE_UPDATE_FRACTION.cancun,
    })
    expect(tx.sourceHash).toBe(l1InfoDepositSourceHash({ l1BlockHash: origin.hash, sequenceNumber: 5n }))
    expect(tx).toMatchObject({ to: L1_BLOCK_ADDRESS, gas: 1_000_000n, isSystemTx: false, mint: 0n, value: 0n })
    expect(hexToBytes(tx.data)).toHaveLength(164)
    expect(decodeL1InfoEcotone(tx.data)).toEqual({
      number: origin.number,
      timestamp: origin.timestamp,
      baseFee: origin.baseFeePerGas,
      blockHash: origin.hash,
      blobBaseFee: 23n,
      sequenceNumber: 5n,
      batcherAddr,
      baseFeeScalar: 1368,
      blobBaseFeeScalar: 810949,
    })
    expect(decodeDepositTransaction(encodeDepositTransaction(tx))).toEqual(tx)
  })

  test('the Prague update fraction prices the same excess lower', () => {
    const tx = buildL1InfoDepositTransaction({
      origin: { ...origin, excessBlobGas: 10n * 1024n * 1024n },
      sequenceNumber: 0n,
      systemConfig: { batcherAddr, scalar: padHex('0x01', { size: 32 }) },
      blobBaseFeeUpdateFraction: BLOB_BASE_FEE_UPDATE_FRACTION.prague,
    })
    expect(decodeL1InfoEcotone(tx.data).blobBaseFee).toBe(8n)
  })

  test('an origin without blobs gives a blob base fee of 1; a version-0 scalar gives blobBaseFeeScalar 0', () => {
    const tx = buildL1InfoDepositTransaction({
      origin,
      sequenceNumber: 0n,
      systemConfig: { batcherAddr, scalar: padHex('0x0a6fe0', { size: 32 }) },
      blobBaseFeeUpdateFraction: BLOB_BASE_FEE_UPDATE_FRACTION.cancun,
    })
    expect(decodeL1InfoEcotone(tx.data)).toMatchObject({
      blobBaseFee: 1n,
      baseFeeScalar: 684_000,
      blobBaseFeeScalar: 0,
    })
  })

  test('an unknown scalar version -> ScalarVersionError', () => {
    expect(() =>
      buildL1InfoDepositTransaction({
        origin,
        sequenceNumber: 0n,
        systemConfig: { batcherAddr, scalar: `0x02${'00'.repeat(31)}` },
        blobBaseFeeUpdateFraction: BLOB_BASE_FEE_UPDATE_FRACTION.cancun,
      }),
    ).toThrow(ScalarVersionError)
  })
})

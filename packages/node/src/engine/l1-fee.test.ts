import { Address, bytesToBigInt, hexToBytes } from '@ethereumjs/util'
import fc from 'fast-check'
import { bytesToHex, concatHex, encodeAbiParameters, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { GAS_PRICE_ORACLE } from './addresses.js'
import { flzCompressLen } from './fastlz.js'
import { l1FeeFjord, readL1FeeParams } from './l1-fee.js'
import { attributesAfter, createTestEngine, l1InfoDeposit, TEST_L1_FEE } from './testing/test-engine.js'

describe('Fjord L1 fee', () => {
  test('equals GasPriceOracle.getL1Fee executed in our EVM (Fjord GPO adds 68 bytes for the signature)', async () => {
    const engine = await createTestEngine()
    await engine.buildBlock(attributesAfter(engine, [l1InfoDeposit(0)]))
    const params = await readL1FeeParams(engine.stateManager)
    expect(params).toMatchObject({
      l1BaseFee: TEST_L1_FEE.baseFee,
      l1BlobBaseFee: TEST_L1_FEE.blobBaseFee,
      l1BaseFeeScalar: BigInt(TEST_L1_FEE.baseFeeScalar),
      l1BlobBaseFeeScalar: BigInt(TEST_L1_FEE.blobBaseFeeScalar),
    })
    const getL1Fee = async (data: Hex) => {
      const result = await engine.vm.evm.runCall({
        to: new Address(hexToBytes(GAS_PRICE_ORACLE)),
        data: hexToBytes(concatHex(['0x49948e0e', encodeAbiParameters([{ type: 'bytes' }], [data])])),
        gasLimit: 30_000_000n,
      })
      expect(result.execResult.exceptionError).toBeUndefined()
      return bytesToBigInt(result.execResult.returnValue)
    }
    const samples: Uint8Array[] = fc.sample(fc.uint8Array({ minLength: 0, maxLength: 3000 }), { numRuns: 20, seed: 42 })
    // compressible inputs too: repeated patterns exercise FastLZ matches, long runs its 262-byte match chunks
    samples.push(new Uint8Array(2000), new Uint8Array(5000).fill(7), hexToBytes(`0x${'deadbeef'.repeat(300)}`))
    for (const data of samples) {
      const expected = await getL1Fee(bytesToHex(data))
      expect({ size: data.length, fee: l1FeeFjord(params, flzCompressLen(data) + 68).l1Fee }).toEqual({
        size: data.length,
        fee: expected,
      })
    }
  })

  test('small txs pay the 100-byte minimum size', () => {
    const params = {
      l1BaseFee: 10n ** 9n,
      l1BlobBaseFee: 1n,
      l1BaseFeeScalar: 1000n,
      l1BlobBaseFeeScalar: 0n,
      overhead: 0n,
      scalar: 0n,
    }
    // 100e6 · (1000 · 1e9 · 16) / 1e12
    expect(l1FeeFjord(params, 10)).toMatchObject({ l1Fee: 1_600_000_000n, l1GasUsed: 1600n })
    // (836,500 · 1000 − 42,585,600) · 16e12 / 1e12
    expect(l1FeeFjord(params, 1000)).toMatchObject({ l1Fee: 12_702_630_400n, l1GasUsed: 12_702n })
  })
})

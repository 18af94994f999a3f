import { bytesToHex } from '@ethereumjs/util'
import type { AccountOverride } from '@nomicfoundation/edr'
import { encodeL1InfoEcotone, L1_INFO_DEPOSITOR_ADDRESS } from '@opl/protocol'
import { type Address, type Hex, hexToBytes, numberToHex, padHex } from 'viem'
import { L1_BLOCK, SEQUENCER_FEE_VAULT } from '../addresses.js'
import type { PayloadAttributes } from '../block-builder.js'
import { Engine } from '../engine.js'
import type { GenesisAlloc } from '../genesis.js'
import { depositTx, type EngineTx } from '../transactions.js'
import { edrPredeploys } from './edr-reference.js'
import { sourceHash, TEST_ADDRESSES } from './fixtures.js'

export const TEST_CHAIN_ID = 901n
export const TEST_GENESIS_TIME = 1_700_000_000n
export const TEST_GAS_LIMIT = 30_000_000n
export const TEST_FUNDS = 10n ** 21n

/** EDR's OP predeploys (L1Block, GasPriceOracle with Fjord code, vault stubs) as a geth-format alloc. */
export function edrAlloc(accounts: AccountOverride[]): GenesisAlloc {
  const alloc: GenesisAlloc = {}
  for (const account of accounts) {
    const storage: Record<Hex, Hex> = {}
    for (const slot of account.storage ?? []) {
      if (slot.value !== 0n) storage[numberToHex(slot.index, { size: 32 })] = numberToHex(slot.value, { size: 32 })
    }
    alloc[bytesToHex(account.address)] = {
      balance: account.balance ?? 0n,
      nonce: account.nonce ?? 0n,
      ...(account.code?.length ? { code: bytesToHex(account.code) as Hex } : {}),
      storage,
    }
  }
  return alloc
}

export function fundedAccounts(addresses: Address[] = TEST_ADDRESSES): AccountOverride[] {
  return addresses.map((address) => ({ address: hexToBytes(address), balance: TEST_FUNDS, nonce: 0n }))
}

export async function createTestEngine(extra: GenesisAlloc = {}): Promise<Engine> {
  return Engine.create({
    config: { chainId: TEST_CHAIN_ID },
    genesis: {
      alloc: { ...edrAlloc([...edrPredeploys('granite'), ...fundedAccounts()]), ...extra },
      timestamp: TEST_GENESIS_TIME,
      gasLimit: TEST_GAS_LIMIT,
    },
  })
}

export const TEST_L1_FEE = { baseFeeScalar: 1368, blobBaseFeeScalar: 810949, baseFee: 7_000_000_000n, blobBaseFee: 3n }

/** The block's L1-info deposit with the fee parameters of TEST_L1_FEE. */
export function l1InfoDeposit(seq: number): EngineTx {
  return depositTx({
    sourceHash: sourceHash(1000 + seq),
    from: L1_INFO_DEPOSITOR_ADDRESS,
    to: L1_BLOCK,
    mint: 0n,
    value: 0n,
    gas: 1_000_000n,
    isSystemTx: false,
    data: encodeL1InfoEcotone({
      ...TEST_L1_FEE,
      sequenceNumber: BigInt(seq),
      timestamp: TEST_GENESIS_TIME + BigInt(seq) * 12n,
      number: 100n + BigInt(seq),
      blockHash: padHex(numberToHex(0xb10c + seq), { size: 32 }),
      batcherAddr: padHex('0xba7c4e5', { size: 20 }),
    }),
  })
}

export function attributesAfter(engine: Engine, transactions: EngineTx[]): PayloadAttributes {
  return {
    timestamp: engine.head.timestamp + 2n,
    prevRandao: padHex(numberToHex(engine.head.number + 7n), { size: 32 }),
    parentBeaconBlockRoot: padHex(numberToHex(0xbeac0 + Number(engine.head.number)), { size: 32 }),
    suggestedFeeRecipient: SEQUENCER_FEE_VAULT,
    gasLimit: TEST_GAS_LIMIT,
    transactions,
  }
}

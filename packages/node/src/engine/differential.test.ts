import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import { bytesToHex } from '@ethereumjs/util'
import type { AccountOverride } from '@nomicfoundation/edr'
import { L1_INFO_DEPOSITOR_ADDRESS } from '@opl/protocol'
import { type Address, getContractAddress, type Hex, hexToBigInt, hexToBytes, numberToHex, padHex, toHex } from 'viem'
import { beforeAll, describe, expect, test } from 'vitest'
import { BASE_FEE_VAULT, L1_BLOCK, L1_FEE_VAULT, SEQUENCER_FEE_VAULT } from './addresses.js'
import { Engine } from './engine.js'
import { P256_VERIFY_ADDRESS, P256_VERIFY_GAS } from './p256-verify.js'
import { createEdrReference, type EdrReference, edrPredeploys, type RpcBlock } from './testing/edr-reference.js'
import {
  eip1559Tx,
  LOGGER_INITCODE,
  LOGGER_RUNTIME,
  legacyTx,
  sourceHash,
  TEST_ADDRESSES,
  TEST_KEYS,
} from './testing/fixtures.js'
import { edrAlloc, l1InfoDeposit } from './testing/test-engine.js'
import { depositTx, type EngineTx } from './transactions.js'

const CHAIN_ID = 901n
const GENESIS_TIME = 1_700_000_000n
const GAS_LIMIT = 30_000_000n
const EIP1559 = { elasticity: 6n, denominator: 250n }
const FUNDS = 10n ** 21n
const HARDFORK = 'granite'
const [alice, bob, carol, dave] = TEST_ADDRESSES as [Address, Address, Address, Address]
const [aliceKey, bobKey] = TEST_KEYS as [Hex, Hex]
const stranger: Address = '0x00000000000000000000000000000000000c0ffe'
const erin: Address = '0x00000000000000000000000000000000000e0001'
/**
 * Runtime: copies the calldata, STATICCALLs 0x100 with it and SSTOREs the returned word (0 when empty) under the
 * calldata's first word (the hash): 365f5f37 602060a0365f6101005afa50 60a0515f5155 00. Init code returns it.
 */
const P256_CALLER_INITCODE: Hex = '0x6017600a5f3960175ff3365f5f37602060a0365f6101005afa5060a0515f515500'

/**
 * Calibration (measured): EDR 0.22 in OP mode reports a parentBeaconBlockRoot but does not run the EIP-4788 system
 * call (the beacon roots contract's storage stays empty), while op-geth does from Ecotone on. The contract is left out
 * of this genesis so both sides agree; beacon-root.test.ts checks our call against the EIP's storage layout.
 */
const extraAccounts: AccountOverride[] = [
  ...[alice, bob, carol, dave, erin].map((address) => ({ address: hexToBytes(address), balance: FUNDS, nonce: 0n })),
]

/**
 * Calibration (measured): EDR's mempool gives a deposit nonce 0 and refuses it once the sender's nonce is above 0
 * ("nonce too low"), and refuses a deposit whose value exceeds the sender's balance before the mint. So each deposit sender
 * is used once (the L1-info depositor only in block 1, which leaves the L1 fee parameters set for later blocks), and
 * the failing deposits here fail inside the EVM; failures before the EVM are covered in execute-deposit.test.ts.
 */
describe('engine vs EDR (chainType op, granite) on the same genesis and txs', () => {
  let engine: Engine
  let edr: EdrReference
  let logger: Address

  beforeAll(async () => {
    const predeploys = edrPredeploys(HARDFORK)
    edr = await createEdrReference({
      chainId: CHAIN_ID,
      hardfork: HARDFORK,
      coinbase: SEQUENCER_FEE_VAULT,
      genesisTimestamp: GENESIS_TIME,
      genesisGasLimit: GAS_LIMIT,
      initialBaseFeePerGas: 1_000_000_000n,
      eip1559: EIP1559,
      accounts: extraAccounts,
      withPredeploys: true,
    })
    engine = await Engine.create({
      config: { chainId: CHAIN_ID, eip1559: EIP1559 },
      genesis: { alloc: edrAlloc([...predeploys, ...extraAccounts]), timestamp: GENESIS_TIME, gasLimit: GAS_LIMIT },
    })
  })

  /** Runs the same txs through EDR (mined at `timestamp`) and through our builder with EDR's header inputs. */
  async function both(txs: EngineTx[], timestamp: bigint) {
    for (const tx of txs) await edr.request('eth_sendRawTransaction', [bytesToHex(tx.raw)])
    await edr.request('evm_mine', [Number(timestamp)])
    const reference = await edr.request<RpcBlock>('eth_getBlockByNumber', ['latest', false])
    expect(reference.transactions).toEqual(txs.map((tx) => bytesToHex(tx.hash)))
    const sealed = await engine.buildBlock({
      timestamp: hexToBigInt(reference.timestamp),
      prevRandao: reference.mixHash,
      parentBeaconBlockRoot: reference.parentBeaconBlockRoot ?? padHex('0x', { size: 32 }),
      suggestedFeeRecipient: SEQUENCER_FEE_VAULT,
      gasLimit: hexToBigInt(reference.gasLimit),
      transactions: txs,
    })
    return { reference, sealed }
  }

  function expectSameBlock({ reference, sealed }: Awaited<ReturnType<typeof both>>) {
    const h = sealed.header
    expect({
      baseFeePerGas: toHex(h.baseFeePerGas!),
      gasUsed: toHex(h.gasUsed),
      transactionsRoot: bytesToHex(h.transactionsTrie),
      receiptsRoot: bytesToHex(h.receiptTrie),
      logsBloom: bytesToHex(h.logsBloom),
      stateRoot: bytesToHex(h.stateRoot),
    }).toEqual({
      baseFeePerGas: reference.baseFeePerGas,
      gasUsed: reference.gasUsed,
      transactionsRoot: reference.transactionsRoot,
      receiptsRoot: reference.receiptsRoot,
      logsBloom: reference.logsBloom,
      stateRoot: reference.stateRoot,
    })
  }

  async function expectSameBalances(addresses: Address[]) {
    for (const address of addresses) {
      const ours =
        (await engine.stateManager.getAccount(new (await import('@ethereumjs/util')).Address(hexToBytes(address))))
          ?.balance ?? 0n
      const theirs = hexToBigInt(await edr.request<Hex>('eth_getBalance', [address, 'latest']))
      expect({ address, balance: ours }).toEqual({ address, balance: theirs })
    }
  }

  async function expectSameAccounts(addresses: Address[]) {
    const { Address: EjsAddress } = await import('@ethereumjs/util')
    const { getMerkleStateProof } = await import('@ethereumjs/statemanager')
    for (const address of addresses) {
      const ours = await getMerkleStateProof(engine.stateManager, new EjsAddress(hexToBytes(address)), [])
      const theirs = await edr.request<{ balance: Hex; nonce: Hex; storageHash: Hex; codeHash: Hex }>('eth_getProof', [
        address,
        [],
        'latest',
      ])
      expect({
        address,
        balance: ours.balance,
        nonce: ours.nonce,
        storageHash: ours.storageHash,
        codeHash: ours.codeHash,
      }).toEqual({
        address,
        balance: theirs.balance,
        nonce: theirs.nonce,
        storageHash: theirs.storageHash,
        codeHash: theirs.codeHash,
      })
    }
  }

  test('genesis state root matches', async () => {
    const genesis = await edr.request<RpcBlock>('eth_getBlockByNumber', ['0x0', false])
    expect(bytesToHex(engine.genesis.stateRoot)).toBe(genesis.stateRoot)
  })

  test('block 1: L1-info, minting deposits (one failing, one creating), legacy + 1559 transfers, a creation', async () => {
    const common = engine.common
    const txs: EngineTx[] = [
      l1InfoDeposit(0),
      // mint + value transfer to a fresh account
      depositTx({
        sourceHash: sourceHash(1),
        from: carol,
        to: stranger,
        mint: 5n * 10n ** 18n,
        value: 10n ** 18n,
        gas: 100_000n,
        isSystemTx: false,
        data: '0x',
      }),
      // fails in the EVM: a creation with too little gas runs out of gas (mint kept, nonce bumped, all gas used)
      depositTx({
        sourceHash: sourceHash(2),
        from: dave,
        to: null,
        mint: 3n,
        value: 0n,
        gas: 53_700n,
        isSystemTx: false,
        data: LOGGER_INITCODE,
      }),
      // contract creation by deposit
      depositTx({
        sourceHash: sourceHash(3),
        from: bob,
        to: null,
        mint: 0n,
        value: 0n,
        gas: 200_000n,
        isSystemTx: false,
        data: LOGGER_INITCODE,
      }),
      legacyTx(common, aliceKey, {
        nonce: 0n,
        to: stranger,
        value: 12345n,
        gasLimit: 21_000n,
        gasPrice: 2_000_000_000n,
      }),
      eip1559Tx(common, bobKey, {
        nonce: 1n,
        to: carol,
        value: 777n,
        gasLimit: 30_000n,
        maxFeePerGas: 3_000_000_000n,
        maxPriorityFeePerGas: 100_000_000n,
      }),
      eip1559Tx(common, aliceKey, {
        nonce: 1n,
        data: LOGGER_INITCODE,
        gasLimit: 200_000n,
        maxFeePerGas: 3_000_000_000n,
        maxPriorityFeePerGas: 1n,
      }),
    ]
    const result = await both(txs, GENESIS_TIME + 2n)
    await expectSameAccounts([
      alice,
      bob,
      carol,
      dave,
      stranger,
      SEQUENCER_FEE_VAULT,
      BASE_FEE_VAULT,
      L1_FEE_VAULT,
      L1_BLOCK,
      L1_INFO_DEPOSITOR_ADDRESS,
    ])
    expectSameBlock(result)
    expect(result.sealed.receipts.map((r) => r.status)).toEqual([1, 1, 0, 1, 1, 1, 1])
    expect(result.sealed.receipts[2]!.gasUsed).toBe(53_700n)
    logger = bytesToHex(result.sealed.receipts[3]!.contractAddress!) as Address
    expect(await edr.request<Hex>('eth_getCode', [logger, 'latest'])).toBe(LOGGER_RUNTIME)
    await expectSameBalances([alice, bob, carol, dave, stranger, SEQUENCER_FEE_VAULT, BASE_FEE_VAULT, L1_FEE_VAULT])
  })

  test('block 2: calls with logs and storage, reverting calls and deposits, deposit with value into a contract', async () => {
    const common = engine.common
    const word = (n: number) => padHex(numberToHex(n), { size: 32 })
    const txs: EngineTx[] = [
      // deposit calling the contract with value: stores, logs, keeps the value
      depositTx({
        sourceHash: sourceHash(4),
        from: erin,
        to: logger,
        mint: 10n ** 17n,
        value: 5n,
        gas: 80_000n,
        isSystemTx: false,
        data: word(7),
      }),
      // deposit whose call reverts: an EVM failure, mint kept, only the used gas reported (Regolith)
      depositTx({
        sourceHash: sourceHash(5),
        from: stranger,
        to: logger,
        mint: 42n,
        value: 0n,
        gas: 90_000n,
        isSystemTx: false,
        data: word(0),
      }),
      eip1559Tx(common, aliceKey, {
        nonce: 2n,
        to: logger,
        data: word(9),
        gasLimit: 60_000n,
        maxFeePerGas: 3_000_000_000n,
        maxPriorityFeePerGas: 2n,
      }),
      legacyTx(common, bobKey, { nonce: 2n, to: logger, data: word(0), gasLimit: 60_000n, gasPrice: 1_500_000_000n }),
      // overwrite slot 0 with the same value: cheap SSTORE path
      legacyTx(common, bobKey, { nonce: 3n, to: logger, data: word(9), gasLimit: 60_000n, gasPrice: 1_500_000_000n }),
    ]
    const result = await both(txs, GENESIS_TIME + 4n)
    expectSameBlock(result)
    expect(result.sealed.receipts.map((r) => r.status)).toEqual([1, 0, 1, 0, 1])
    expect(result.sealed.receipts[1]!.gasUsed).toBeLessThan(90_000n)
    expect(result.sealed.receipts[1]!.depositNonce).toBe(0n)
    await expectSameBalances([alice, bob, erin, stranger, logger, SEQUENCER_FEE_VAULT, BASE_FEE_VAULT, L1_FEE_VAULT])
  })

  test('blocks 3-5: empty-ish blocks move the base fee down, a full-ish one up, identically', async () => {
    const common = engine.common
    const baseFees: bigint[] = []
    for (let i = 0; i < 3; i++) {
      const txs: EngineTx[] = []
      if (i === 1) {
        // 6 × 981,000 gas of calldata-heavy transfers: above the 5M target (30M / elasticity 6)
        for (let n = 0; n < 6; n++) {
          txs.push(
            eip1559Tx(common, TEST_KEYS[2]!, {
              nonce: BigInt(n + 1),
              to: stranger,
              data: `0x${'ab'.repeat(60_000)}`,
              gasLimit: 1_100_000n,
              maxFeePerGas: 10_000_000_000n,
              maxPriorityFeePerGas: 0n,
            }),
          )
        }
      }
      const result = await both(txs, GENESIS_TIME + 6n + 2n * BigInt(i))
      expectSameBlock(result)
      baseFees.push(result.sealed.header.baseFeePerGas!)
    }
    // block 4 (the full one) was built on a quiet parent: fee down; block 5 follows the full one: fee up
    expect(baseFees[1]! < baseFees[0]!).toBe(true)
    expect(baseFees[2]! > baseFees[1]!).toBe(true)
    await expectSameBalances([carol, stranger, SEQUENCER_FEE_VAULT, BASE_FEE_VAULT, L1_FEE_VAULT])
  })

  test('block 6: P256VERIFY (RIP-7212, Fjord) at 0x100: valid, tampered and short inputs, called directly and by a contract', async () => {
    const common = engine.common
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    const message = Buffer.from('attested by a passkey')
    const signature = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' })
    const jwk = publicKey.export({ format: 'jwk' })
    const hash = createHash('sha256').update(message).digest()
    const input = (h: Uint8Array) =>
      bytesToHex(
        Buffer.concat([h, signature, Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]),
      ) as Hex
    const tampered = Buffer.from(hash)
    tampered[0]! ^= 1
    const nonce = hexToBigInt(await edr.request<Hex>('eth_getTransactionCount', [carol, 'latest']))
    const fees = { maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n }
    const caller = getContractAddress({ from: carol, nonce })
    const txs: EngineTx[] = [
      eip1559Tx(common, TEST_KEYS[2]!, { nonce, data: P256_CALLER_INITCODE, gasLimit: 100_000n, ...fees }),
      eip1559Tx(common, TEST_KEYS[2]!, {
        nonce: nonce + 1n,
        to: caller,
        data: input(hash),
        gasLimit: 100_000n,
        ...fees,
      }),
      eip1559Tx(common, TEST_KEYS[2]!, {
        nonce: nonce + 2n,
        to: caller,
        data: input(tampered),
        gasLimit: 100_000n,
        ...fees,
      }),
      // direct calls: the tx pays the precompile's 3450 gas whatever the outcome
      eip1559Tx(common, TEST_KEYS[2]!, {
        nonce: nonce + 3n,
        to: P256_VERIFY_ADDRESS,
        data: input(hash),
        gasLimit: 50_000n,
        ...fees,
      }),
      eip1559Tx(common, TEST_KEYS[2]!, {
        nonce: nonce + 4n,
        to: P256_VERIFY_ADDRESS,
        data: '0x1234',
        gasLimit: 50_000n,
        ...fees,
      }),
    ]
    const result = await both(txs, GENESIS_TIME + 20n)
    expectSameBlock(result)
    expect(result.sealed.receipts.map((r) => r.status)).toEqual([1, 1, 1, 1, 1])
    // the caller stores the precompile's word under the hash: 1 for the valid signature, nothing for the tampered one
    const slot = (h: Uint8Array) => edr.request<Hex>('eth_getStorageAt', [caller, bytesToHex(h), 'latest'])
    expect(hexToBigInt(await slot(hash))).toBe(1n)
    expect(hexToBigInt(await slot(tampered))).toBe(0n)
    const calldataGas = (data: Hex) => hexToBytes(data).reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n)
    expect(result.sealed.receipts[3]!.gasUsed).toBe(21_000n + calldataGas(input(hash)) + P256_VERIFY_GAS)
    expect(result.sealed.receipts[4]!.gasUsed).toBe(21_000n + calldataGas('0x1234') + P256_VERIFY_GAS)
    await expectSameAccounts([carol, caller, SEQUENCER_FEE_VAULT, BASE_FEE_VAULT, L1_FEE_VAULT])
  })
})

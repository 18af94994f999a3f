/**
 * The engine/sequencer benchmark workloads of docs/evm-engines.md: 1000 funded senders, 500-tx blocks (one tx per
 * sender per block; even senders legacy EIP-155, odd senders EIP-1559), ETH transfers to a fresh recipient each
 * (21,000 gas) or ERC-20 `transfer`s to a fresh recipient each (a new storage slot, ~51k gas), balances pre-set in
 * genesis storage. Chain id 901, block gas limit 60M, genesis base fee 1 gwei.
 *
 * Transactions are signed with the native secp256k1 addon the node already depends on (viem's pure-JS signer takes
 * ~1 ms per tx): viem serializes, the node's native keccak hashes, secp256k1 signs.
 */

import { createRequire } from 'node:module'
import { loadavg } from 'node:os'
import type { AccountOverride } from '@nomicfoundation/edr'
import {
  type Address,
  bytesToHex,
  getAddress,
  type Hex,
  hexToBytes,
  numberToHex,
  serializeTransaction,
  type TransactionSerializable,
} from 'viem'
import { keccak256 } from '../../packages/node/src/engine/crypto.js'
import { edrPredeploys } from '../../packages/node/src/engine/testing/edr-reference.js'
import { edrAlloc } from '../../packages/node/src/engine/testing/test-engine.js'

export const CHAIN_ID = 901n
export const GENESIS_TIME = 1_700_000_000n
export const GAS_LIMIT = 60_000_000n
export const BASE_FEE = 1_000_000_000n
export const SENDERS = 1000
export const TXS_PER_BLOCK = 500
export const HARDFORK = 'granite'
export const EIP1559 = { elasticity: 6n, denominator: 250n }
export const TOKEN: Address = '0x70ce000000000000000000000000000000000020'
const FUNDS = 10n ** 24n
const TOKEN_BALANCE = 10n ** 30n

export type Workload = 'eth' | 'erc20'

type Secp256k1 = {
  publicKeyCreate(key: Uint8Array, compressed: boolean): Uint8Array
  ecdsaSign(hash: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number }
}
const secp256k1 = createRequire(new URL('../../packages/node/package.json', import.meta.url))('secp256k1') as Secp256k1

type Solc = { compile(input: string): string }
const solc = createRequire(import.meta.url)('solc') as Solc

export type Sender = { key: Uint8Array; address: Address }

export function makeSenders(count = SENDERS): Sender[] {
  return Array.from({ length: count }, (_, i) => {
    const key = keccak256(hexToBytes(numberToHex(0x5e0de2 + i, { size: 32 })))
    const pub = secp256k1.publicKeyCreate(key, false).slice(1)
    return { key, address: getAddress(bytesToHex(keccak256(pub).slice(12))) }
  })
}

const TOKEN_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract Token {
  mapping(address => uint256) public balanceOf;
  event Transfer(address indexed from, address indexed to, uint256 value);
  function transfer(address to, uint256 value) external returns (bool) {
    uint256 balance = balanceOf[msg.sender];
    require(balance >= value, "balance");
    unchecked { balanceOf[msg.sender] = balance - value; }
    balanceOf[to] += value;
    emit Transfer(msg.sender, to, value);
    return true;
  }
}`

/** A minimal ERC-20 (balances in mapping slot 0), compiled with the solc npm package. */
export function tokenRuntime(): Hex {
  return compileSolidity(TOKEN_SOURCE, 'Token').runtime
}

/** Creation and runtime bytecode of `contract` in `source` (solc 0.8.28, optimizer on, cancun). */
export function compileSolidity(source: string, contract: string): { initcode: Hex; runtime: Hex } {
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: 'Solidity',
        sources: { 'Contract.sol': { content: source } },
        settings: {
          optimizer: { enabled: true, runs: 200 },
          evmVersion: 'cancun',
          outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.deployedBytecode.object'] } },
        },
      }),
    ),
  )
  const evm = output.contracts?.['Contract.sol']?.[contract]?.evm
  if (!evm?.deployedBytecode?.object) throw new Error(`solc failed: ${JSON.stringify(output.errors)}`)
  return { initcode: `0x${evm.bytecode.object}`, runtime: `0x${evm.deployedBytecode.object}` }
}

function balanceSlot(holder: Address): bigint {
  return BigInt(bytesToHex(keccak256(hexToBytes(`0x${holder.slice(2).padStart(64, '0')}${'00'.repeat(32)}`))))
}

/** Senders funded with ETH and tokens, and the token; `withPredeploys` adds EDR's OP predeploys (L1Block, vaults). */
export function genesisAccounts(senders: Sender[], runtime: Hex, withPredeploys: boolean): AccountOverride[] {
  return [
    ...(withPredeploys ? edrPredeploys(HARDFORK) : []),
    ...senders.map((s) => ({ address: hexToBytes(s.address), balance: FUNDS, nonce: 0n })),
    {
      address: hexToBytes(TOKEN),
      balance: 0n,
      nonce: 1n,
      code: hexToBytes(runtime),
      storage: senders.map((s) => ({ index: balanceSlot(s.address), value: TOKEN_BALANCE })),
    },
  ]
}

/** geth-format genesis.json (for anvil --init) with the same accounts. */
export function gethGenesis(accounts: AccountOverride[]): object {
  return {
    config: {
      chainId: Number(CHAIN_ID),
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      berlinBlock: 0,
      londonBlock: 0,
      mergeNetsplitBlock: 0,
      shanghaiTime: 0,
      cancunTime: 0,
      terminalTotalDifficulty: 0,
      terminalTotalDifficultyPassed: true,
    },
    nonce: '0x0',
    timestamp: numberToHex(GENESIS_TIME),
    gasLimit: numberToHex(GAS_LIMIT),
    difficulty: '0x0',
    baseFeePerGas: numberToHex(BASE_FEE),
    alloc: edrAlloc(accounts),
  }
}

/** Everything in the genesis alloc form the engine takes. */
export { edrAlloc }

/** Signs `tx` with the native addon; returns EIP-2718 bytes. */
export function signRaw(tx: TransactionSerializable, key: Uint8Array): Hex {
  const hash = keccak256(hexToBytes(serializeTransaction(tx)))
  const { signature, recid } = secp256k1.ecdsaSign(hash, key)
  return serializeTransaction(tx, {
    r: bytesToHex(signature.slice(0, 32)),
    s: bytesToHex(signature.slice(32)),
    v: 27n + BigInt(recid),
    yParity: recid,
  })
}

/** `transfer(to, value)` calldata (selector 0xa9059cbb), built by hand: viem's ABI encoder costs more than signing. */
function transferCalldata(to: Address, value: bigint): Hex {
  return `0xa9059cbb${to.slice(2).toLowerCase().padStart(64, '0')}${value.toString(16).padStart(64, '0')}`
}

function recipient(workload: Workload, n: number): Address {
  return getAddress(
    numberToHex((workload === 'eth' ? 0xe7e0000000n : 0x7c20000000n) * 2n ** 120n + BigInt(n), { size: 20 }),
  )
}

/**
 * Pre-signed blocks: block b uses senders (b·500 … b·500+499) mod 1000, so each sender's nonces are consecutive over
 * the sequence. `nonces` is advanced (pass the same array to chain several sequences on one chain).
 */
export function signBlocks(
  workload: Workload,
  senders: Sender[],
  blocks: number,
  nonces: number[],
  firstRecipient = 0,
): Hex[][] {
  const out: Hex[][] = []
  let next = firstRecipient
  for (let b = 0; b < blocks; b++) {
    const raws: Hex[] = []
    for (let i = 0; i < TXS_PER_BLOCK; i++) {
      const index = (b * TXS_PER_BLOCK + i) % senders.length
      const sender = senders[index]!
      const nonce = nonces[index] ?? 0
      nonces[index] = nonce + 1
      const to = recipient(workload, next++)
      const call =
        workload === 'eth'
          ? { to, value: 1n, gas: 21_000n }
          : {
              to: TOKEN,
              value: 0n,
              gas: 100_000n,
              data: transferCalldata(to, 1n),
            }
      const tx: TransactionSerializable =
        index % 2 === 0
          ? { ...call, type: 'legacy', chainId: Number(CHAIN_ID), nonce, gasPrice: 2n * BASE_FEE }
          : {
              ...call,
              type: 'eip1559',
              chainId: Number(CHAIN_ID),
              nonce,
              maxFeePerGas: 2n * BASE_FEE,
              maxPriorityFeePerGas: 1_000n,
            }
      raws.push(signRaw(tx, sender.key))
    }
    out.push(raws)
  }
  return out
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
}

export function fmt(value: number, digits = 0): string {
  return value.toFixed(digits)
}

import { getMerkleStateProof } from '@ethereumjs/statemanager'
import { Account, Address, bytesToBigInt, bytesToHex, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import type { Hex } from 'viem'
import { z } from 'zod'
import { type RpcContext, resolveHeader } from '../context.js'
import { invalidParams } from '../errors.js'
import { quantity } from '../format.js'
import { type MethodTable, method } from '../method.js'
import { type BlockRef, zAddress, zBlockRef } from '../params.js'

/** geth (`decodeHash`) accepts storage keys of up to 32 bytes in any hex length, left-padded. */
const zStorageKey = z
  .string()
  .regex(/^0x[0-9a-fA-F]{0,64}$/, 'expected a storage key of at most 32 bytes')
  .transform((key) => `0x${key.slice(2).padStart(64, '0')}` as Hex)

async function stateAt(ctx: RpcContext, ref: BlockRef | undefined) {
  const header = await resolveHeader(ctx, ref)
  return ctx.engine.stateAt(header.stateRoot)
}

const address = (hex: Hex) => new Address(hexToBytes(hex))
const slot = (key: Hex) => setLengthLeft(hexToBytes(key), 32)

/** Account and storage reads at any block (the archive keeps every state root). */
export const stateMethods: MethodTable = {
  eth_getBalance: method(z.tuple([zAddress, zBlockRef.optional()]), async ([who, ref], { ctx }) => {
    const account = await (await stateAt(ctx, ref)).getAccount(address(who))
    return quantity(account?.balance ?? 0n)
  }),
  eth_getTransactionCount: method(z.tuple([zAddress, zBlockRef.optional()]), async ([who, ref], { ctx }) => {
    if (ref === 'pending') return quantity(await ctx.pool.pendingNonce(who))
    const account = await (await stateAt(ctx, ref)).getAccount(address(who))
    return quantity(account?.nonce ?? 0n)
  }),
  eth_getCode: method(z.tuple([zAddress, zBlockRef.optional()]), async ([who, ref], { ctx }) =>
    bytesToHex(await (await stateAt(ctx, ref)).getCode(address(who))),
  ),
  eth_getStorageAt: method(z.tuple([zAddress, zStorageKey, zBlockRef.optional()]), async ([who, key, ref], { ctx }) => {
    const value = await (await stateAt(ctx, ref)).getStorage(address(who), slot(key))
    return bytesToHex(setLengthLeft(value, 32))
  }),
  eth_getProof: method(
    z.tuple([zAddress, z.array(zStorageKey).max(1024), zBlockRef]),
    async ([who, keys, ref], { ctx }) => {
      const state = await stateAt(ctx, ref)
      if (keys.length > 1024) throw invalidParams('too many storage keys')
      const proof = await getMerkleStateProof(state, address(who), keys.map(slot))
      const account = (await state.getAccount(address(who))) ?? new Account()
      return {
        address: who.toLowerCase(),
        accountProof: proof.accountProof,
        balance: quantity(account.balance),
        codeHash: proof.codeHash,
        nonce: quantity(account.nonce),
        storageHash: proof.storageHash,
        storageProof: proof.storageProof.map((item, i) => ({
          key: keys[i],
          value: quantity(bytesToBigInt(hexToBytes(item.value))),
          proof: item.proof,
        })),
      }
    },
  ),
}

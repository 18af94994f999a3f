import { parseGwei, type TransactionSerializable } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import { devPrivateKey } from './dev-keys.js'
import { nativeSigningAccount } from './native-account.js'

test('signs transactions byte for byte as viem’s account (legacy, EIP-2930, EIP-1559, a deploy), same address', async () => {
  for (const index of [0, 3, 20]) {
    const key = devPrivateKey(index)
    const native = nativeSigningAccount(key)
    const viem = privateKeyToAccount(key)
    expect(native.address).toBe(viem.address)
    const txs: TransactionSerializable[] = [
      { chainId: 901, nonce: 0, gasPrice: parseGwei('1'), gas: 21_000n, to: viem.address, value: 1n },
      {
        chainId: 900,
        type: 'eip2930',
        nonce: 7,
        gasPrice: 2n,
        gas: 50_000n,
        to: viem.address,
        accessList: [{ address: viem.address, storageKeys: [`0x${'11'.repeat(32)}`] }],
      },
      {
        chainId: 901,
        type: 'eip1559',
        nonce: 5,
        maxFeePerGas: parseGwei('3'),
        maxPriorityFeePerGas: parseGwei('1'),
        gas: 8_000_000n,
        data: `0x${'6080604052'.repeat(5_000)}`,
      },
    ]
    for (const tx of txs) expect(await native.signTransaction(tx)).toBe(await viem.signTransaction(tx))
    expect(await native.signMessage({ message: 'hi' })).toBe(await viem.signMessage({ message: 'hi' }))
  }
})

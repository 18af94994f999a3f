import { mnemonicToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import { DEV_MNEMONIC, devAddress, devPrivateKey } from './dev-keys.js'

test('dev keys and addresses are the BIP-44 ones of the mnemonic (anvil account 0, and viem’s derivation)', () => {
  // anvil's well-known first account
  expect(devPrivateKey(0)).toBe('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
  expect(devAddress(0)).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
  for (const index of [1, 9, 20, 29, 1000]) {
    const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index })
    expect(devPrivateKey(index)).toBe(`0x${Buffer.from(account.getHdKey().privateKey!).toString('hex')}`)
    expect(devAddress(index)).toBe(account.address)
  }
})

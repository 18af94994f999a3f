import { devAddress, devPrivateKey } from '@opl/service-kit'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'

export { DEV_MNEMONIC } from '@opl/service-kit'

export type DevAccount = { address: `0x${string}`; privateKey: `0x${string}` }

/**
 * The `index`-th account of the dev mnemonic on m/44'/60'/0'/0/index (service-kit's native derivation); its viem
 * account is made on first use (a JS public-key computation the genesis' 30 addresses do not need).
 */
export function devAccount(index: number): DevAccount & { readonly account: PrivateKeyAccount } {
  const privateKey = devPrivateKey(index)
  let account: PrivateKeyAccount | undefined
  return {
    address: devAddress(index),
    privateKey,
    get account() {
      account ??= privateKeyToAccount(privateKey)
      return account
    },
  }
}

/**
 * Roles take fixed mnemonic indexes so every devnet run has the same addresses; all ten are the ones anvil funds on
 * L1 (the relayer pays prove/finalize txs there).
 */
export function devAccounts() {
  const strip = ({ address, privateKey }: DevAccount) => ({ address, privateKey })
  return {
    deployer: strip(devAccount(0)),
    batcher: strip(devAccount(1)),
    proposer: strip(devAccount(2)),
    sequencer: strip(devAccount(3)),
    users: Array.from({ length: 5 }, (_, i) => strip(devAccount(4 + i))),
    relayer: strip(devAccount(9)),
  }
}

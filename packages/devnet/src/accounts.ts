import { mnemonicToSeedSync } from '@scure/bip39'
import { type HDAccount, HDKey, hdKeyToAccount } from 'viem/accounts'

/** anvil's default mnemonic: its first accounts are pre-funded on the L1. Dev only. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk'

export type DevAccount = { address: `0x${string}`; privateKey: `0x${string}` }

let parent: HDKey | undefined

/**
 * The `index`-th account of the mnemonic on m/44'/60'/0'/0/index. The seed (2048 PBKDF2 rounds) and the path's
 * parent m/44'/60'/0'/0 are derived once: each account then costs one child step (the genesis funds 30 of them, and
 * the full path from the root was ~17 ms of elliptic-curve work per account).
 */
export function devAccount(index: number): DevAccount & { account: HDAccount } {
  parent ??= HDKey.fromMasterSeed(mnemonicToSeedSync(DEV_MNEMONIC)).derive("m/44'/60'/0'/0")
  // relative to the parent key, which viem's path type (absolute m/44'/60'/…) does not foresee
  const account = hdKeyToAccount(parent, { path: `m/${index}` as `m/44'/60'/${string}` })
  const key = account.getHdKey().privateKey
  if (!key) throw new Error(`no private key for dev account ${index}`)
  return { address: account.address, privateKey: `0x${Buffer.from(key).toString('hex')}`, account }
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

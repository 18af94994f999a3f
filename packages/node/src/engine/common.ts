import { type Common, createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common'
import { ecrecover, keccak256 } from './crypto.js'

/**
 * ethereumjs Common for the L2: Granite's EVM is Cancun. ethereumjs' default hardfork is newer (Prague would add
 * EIP-7623's calldata floor and EIP-2935), so the hardfork is pinned explicitly.
 */
export function createEngineCommon(chainId: bigint): Common {
  return createCustomCommon({ chainId: Number(chainId), name: `opl-${chainId}` }, Mainnet, {
    hardfork: Hardfork.Cancun,
    customCrypto: { keccak256, ecrecover },
  })
}

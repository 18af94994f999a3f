import type { Address } from 'viem'

/** L2 predeploys the execution rules touch (specs protocol/predeploys.md). */
export const SEQUENCER_FEE_VAULT: Address = '0x4200000000000000000000000000000000000011'
export const BASE_FEE_VAULT: Address = '0x4200000000000000000000000000000000000019'
export const L1_FEE_VAULT: Address = '0x420000000000000000000000000000000000001A'
export const L1_BLOCK: Address = '0x4200000000000000000000000000000000000015'
export const GAS_PRICE_ORACLE: Address = '0x420000000000000000000000000000000000000F'

/** EIP-4788 beacon roots contract and the system caller (go-ethereum params.BeaconRootsAddress / SystemAddress). */
export const BEACON_ROOTS: Address = '0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02'
export const SYSTEM_ADDRESS: Address = '0xfffffffffffffffffffffffffffffffffffffffe'

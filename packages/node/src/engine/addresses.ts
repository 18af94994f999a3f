import { BEACON_ROOTS_ADDRESS, predeploys } from '@opl/protocol'
import type { Address } from 'viem'

/** L2 predeploys the execution rules touch, named as the engine uses them (addresses from the protocol package). */
export const SEQUENCER_FEE_VAULT: Address = predeploys.SequencerFeeVault
export const BASE_FEE_VAULT: Address = predeploys.BaseFeeVault
export const L1_FEE_VAULT: Address = predeploys.L1FeeVault
export const L1_BLOCK: Address = predeploys.L1Block
export const GAS_PRICE_ORACLE: Address = predeploys.GasPriceOracle

/** EIP-4788 beacon roots contract and the system caller (go-ethereum params.BeaconRootsAddress / SystemAddress). */
export const BEACON_ROOTS: Address = BEACON_ROOTS_ADDRESS
export const SYSTEM_ADDRESS: Address = '0xfffffffffffffffffffffffffffffffffffffffe'

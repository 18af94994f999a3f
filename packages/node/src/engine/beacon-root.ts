import { Address, hexToBytes } from '@ethereumjs/util'
import { BEACON_ROOTS, SYSTEM_ADDRESS } from './addresses.js'
import type { BlockContext } from './block-context.js'

const beaconRoots = new Address(hexToBytes(BEACON_ROOTS))
const systemAddress = new Address(hexToBytes(SYSTEM_ADDRESS))
const SYSTEM_CALL_GAS = 30_000_000n

/**
 * EIP-4788 at block start, as geth's `ProcessBeaconBlockRoot`: a real call from the system address to the beacon
 * roots contract with the root as calldata (30M gas, outside the block's gas accounting). Without code at the address
 * the call changes nothing. ethereumjs' own helper writes the two slots directly instead; calling the deployed code
 * stays faithful to whatever bytecode the genesis holds.
 */
export async function processBeaconBlockRoot(ctx: BlockContext, root: Uint8Array): Promise<void> {
  const { vm, env } = ctx
  const journal = vm.evm.journal
  await journal.cleanup()
  journal.addAlwaysWarmAddress(beaconRoots.toString())
  await journal.checkpoint()
  await vm.evm.runCall({
    block: env,
    caller: systemAddress,
    origin: systemAddress,
    to: beaconRoots,
    data: root,
    value: 0n,
    gasPrice: 0n,
    gasLimit: SYSTEM_CALL_GAS,
    skipNonceIncrement: true,
  })
  // geth's Finalise(true): the system address and an empty target were touched by the 0-value transfer
  await journal.cleanup()
  await journal.commit()
  journal.cleanJournal()
  vm.stateManager.originalStorageCache.clear()
}

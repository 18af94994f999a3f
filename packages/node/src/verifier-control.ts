import type { Hex } from 'viem'
import type { Derivation } from './derivation/derivation.js'
import type { L1Tracker } from './l1/l1-tracker.js'
import { RpcError, RpcErrorCode } from './rpc/errors.js'
import { jsonRef } from './sequencer/sequencer.js'
import type { SequencerControl } from './sequencer-ports.js'

const NOT_A_SEQUENCER = 'this node is a verifier (--mode verifier): it does not sequence'

/**
 * What a verifier gives the admin_* and optimism_syncStatus RPC in place of a sequencer: admin_startSequencer /
 * admin_stopSequencer are refused, and the L1 view is the derivation pipeline's (current_l1 = the L1 block it reads)
 * with head / safe / finalized as the L1 tracker last polled them.
 */
export class VerifierControl implements SequencerControl {
  constructor(
    private readonly derivation: Derivation,
    private readonly tracker: L1Tracker,
  ) {}

  async start(_unsafeHead: Hex): Promise<void> {
    throw new RpcError(RpcErrorCode.server, NOT_A_SEQUENCER)
  }

  async stop(): Promise<Hex> {
    throw new RpcError(RpcErrorCode.server, NOT_A_SEQUENCER)
  }

  active(): boolean {
    return false
  }

  l1Status() {
    const { head, safe, finalized } = this.tracker.status
    const current = this.derivation.currentL1
    return {
      ...(current && { current: jsonRef(current) }),
      ...(head && { head: jsonRef(head) }),
      ...(safe && { safe: jsonRef(safe) }),
      ...(finalized && { finalized: jsonRef(finalized) }),
    }
  }
}

import type { Logger } from 'pino'
import type { Address, Hex } from 'viem'
import type { SettlementGate } from '../service/start-service.js'
import type { DevnetFile } from './devnet-file.js'
import { ensureDevnetAttestor } from './ensure-attestor.js'

export type AttestorBonding = SettlementGate & {
  /** resolves with the attestor once bonded */
  bonded: Promise<Address>
  /** stops retrying; `bonded` and `open` reject if the bond was not done yet */
  stop(): void
}

export class BondingStoppedError extends Error {
  override name = 'BondingStoppedError'
}

/**
 * Bonds the devnet attestor (ensureDevnetAttestor) in the background while the service already answers: on a fresh
 * devnet the bond's OPEN first crosses the bridge (an L1 block plus the sequencer's confirmation depth), which a
 * service start should not wait for. Settlement waits for `open`; a failed attempt is retried with a growing pause
 * (the L2 may still be starting) and its error shown in `status()`. Already bonded: three reads, then open.
 */
export function startAttestorBonding(args: {
  devnet: DevnetFile
  attestorKey: Hex
  log: Logger
  /** first pause after a failure, doubled up to 10 s */
  retryMs?: number
}): AttestorBonding {
  const controller = new AbortController()
  let state: 'bonding' | 'bonded' | 'stopped' = 'bonding'
  let lastError: string | undefined
  let resolve!: (attestor: Address) => void
  let reject!: (err: Error) => void
  const bonded = new Promise<Address>((ok, fail) => {
    resolve = ok
    reject = fail
  })
  // whoever does not wait for the bond must not see an unhandled rejection at stop
  bonded.catch(() => undefined)
  const open = bonded.then(() => undefined)
  open.catch(() => undefined)

  const run = async () => {
    let pause = args.retryMs ?? 500
    for (let attempt = 1; ; attempt++) {
      try {
        const attestor = await ensureDevnetAttestor(args.devnet, args.attestorKey, { signal: controller.signal })
        state = 'bonded'
        lastError = undefined
        args.log.info({ attestor, attempt }, 'devnet attestor bonded')
        return resolve(attestor)
      } catch (err) {
        if (controller.signal.aborted) return
        lastError = err instanceof Error ? err.message.split('\n')[0]! : String(err)
        args.log.warn({ err, attempt }, 'bonding the devnet attestor failed; retrying')
      }
      await new Promise((r) => setTimeout(r, pause))
      if (controller.signal.aborted) return
      pause = Math.min(pause * 2, 10_000)
    }
  }
  void run()
  return {
    bonded,
    open,
    status: () => ({ ok: state === 'bonded', attestor: state, ...(lastError ? { error: lastError } : {}) }),
    stop() {
      if (state !== 'bonding') return
      state = 'stopped'
      controller.abort()
      reject(new BondingStoppedError('stopped before the devnet attestor was bonded'))
    },
  }
}

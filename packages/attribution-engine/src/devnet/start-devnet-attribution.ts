import { devnetAttestorKey } from '@opl/service-kit'
import type { Logger } from 'pino'
import type { Address } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { AttributionConfig } from '../service/config.js'
import { type RunningAttributionService, serviceLogger, startAttributionService } from '../service/start-service.js'
import { startAttestorBonding } from './attestor-bonding.js'
import type { DevnetFile } from './devnet-file.js'

/**
 * The service's settings for a devnet, as flag/env values (`readFlagsAndEnv` shape): its L2, DA server and
 * contracts from devnet.json, the devnet attestor, one confirmation, a 1 s poll and a 5 s settlement grace (the
 * devnet's epochs are 60 s: DEVNET_ATTRIBUTION). Explicit flags and env vars override them.
 */
export function devnetConfigInput(devnet: DevnetFile): Record<string, string> {
  return {
    chainRpc: devnet.l2.rpc,
    rewards: devnet.contracts.l2.AttributionRewards,
    registry: devnet.contracts.l2.DatanetRegistry,
    daUrl: devnet.daServer,
    attestorKey: devnetAttestorKey(),
    confirmations: '1',
    pollIntervalMs: '1000',
    settleGraceSeconds: '5',
  }
}

/**
 * opl-attribution as a devnet service: runs the service against devnet.json — it follows DatanetRegistry from the
 * L2, fetches contributions from the DA server, serves the HTTP API and settles ended epochs as the devnet attestor.
 * Resolves once the API answers; the attestor is bonded in the background (startAttestorBonding): settlement waits
 * for `bonded` and `/readyz` says `bonding` until then. The CLI equivalent is
 * `opl-attribution serve --devnet <data-dir>/devnet.json --index-dir <data-dir>/attribution`.
 */
export async function startDevnetAttribution(args: {
  devnet: DevnetFile
  /** index, small models, chain cursor and settled epochs */
  indexDir: string
  port?: number
  host?: string
  /** other settings, as flag/env values (e.g. `{ influenceModels: '2' }`) */
  overrides?: Record<string, string>
  log?: Logger
}): Promise<RunningAttributionService & { attestor: Address; bonded: Promise<Address> }> {
  const input: Record<string, string> = {
    ...devnetConfigInput(args.devnet),
    indexDir: args.indexDir,
    ...args.overrides,
  }
  if (args.port !== undefined) input.port = String(args.port)
  if (args.host !== undefined) input.host = args.host
  const config = AttributionConfig.parse(input)
  const attestorKey = config.attestorKey as `0x${string}`
  const log = args.log ?? serviceLogger(config)
  const bonding = startAttestorBonding({ devnet: args.devnet, attestorKey, log })
  let service: RunningAttributionService
  try {
    service = await startAttributionService({ config, log, settlementGate: bonding })
  } catch (err) {
    bonding.stop()
    throw err
  }
  return {
    ...service,
    attestor: privateKeyToAddress(attestorKey),
    bonded: bonding.bonded,
    async stop() {
      bonding.stop()
      await service.stop()
    },
  }
}

import { Counter, Gauge, Registry } from 'prom-client'

/** The proposer's Prometheus metrics, on a registry of its own (several proposers can live in one test process). */
export function createProposerMetrics() {
  const registry = new Registry()
  return {
    registry,
    proposals: new Counter({
      name: 'opl_proposer_proposals_total',
      help: 'outputs accepted by L2OutputOracle',
      registers: [registry],
    }),
    latestProposed: new Gauge({
      name: 'opl_proposer_latest_proposed_block',
      help: 'L2 block number of the last output this proposer posted',
      registers: [registry],
    }),
    nextBlock: new Gauge({
      name: 'opl_proposer_next_block',
      help: 'L2OutputOracle.nextBlockNumber()',
      registers: [registry],
    }),
    errors: new Counter({
      name: 'opl_proposer_errors_total',
      help: 'loop errors by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
  }
}
export type ProposerMetrics = ReturnType<typeof createProposerMetrics>

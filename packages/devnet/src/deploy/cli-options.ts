import { Command } from 'commander'
import { DeployConfigSchema } from './config.js'

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
/** `l1Rpc` → `OPL_DEPLOY_L1_RPC`. */
export const envName = (key: string) => `OPL_DEPLOY_${kebab(key).replaceAll('-', '_').toUpperCase()}`

const descriptions: Record<string, string> = {
  l1Rpc: 'L1 JSON-RPC URL',
  l1ChainId: 'expected L1 chain id (refuse another)',
  deployerKey: 'deployer private key (prefer the env var: flags show in `ps`)',
  l2ChainId: 'L2 chain id',
  salt: 'CREATE2 salt; another salt gives another set of addresses',
  batcher: 'batcher address (SystemConfig batcherHash)',
  proposer: 'L2OutputOracle proposer',
  challenger: 'L2OutputOracle challenger (default: system owner)',
  guardian: 'SuperchainConfig guardian (default: system owner)',
  systemOwner: 'SystemConfig owner (default: deployer)',
  proxyAdminOwner: 'final ProxyAdmin owner (default: deployer)',
  unsafeBlockSigner: 'sequencer p2p signer (default: deployer)',
  batchInbox: 'batch inbox address (default: 0xff00…<l2 chain id>)',
  openHolder: 'receives the OPEN supply (default: deployer)',
  l2GasLimit: 'L2 block gas limit',
  basefeeScalar: 'Ecotone base fee scalar',
  blobbasefeeScalar: 'Ecotone blob base fee scalar',
  l2BlockTime: 'L2 block time in seconds',
  submissionInterval: 'L2 blocks between output proposals',
  finalizationPeriodSeconds: 'withdrawal finalization period (production: 604800 = 7 days)',
  l2StartingBlockNumber: 'first L2 block of the output oracle',
}

/**
 * The CLI surface of `DeployConfigSchema`: one `--kebab-name` flag per field, each also readable from
 * `OPL_DEPLOY_<SNAKE_NAME>`; a flag wins over its env var. Values stay strings: the schema coerces and validates.
 */
export function readFlagsAndEnv(argv: string[], env: NodeJS.ProcessEnv) {
  const program = new Command('opl-deploy')
    .description('Deploys the OP Stack L1 contracts (contracts-bedrock 0.17.3, unmodified) and OPEN to an L1')
    .option(
      '--out <file>',
      'write the deployment (addresses, L1 genesis block) as JSON to this file',
      env.OPL_DEPLOY_OUT,
    )
    .option('--log-level <level>', 'pino log level', env.OPL_DEPLOY_LOG_LEVEL ?? 'warn')
    .option('--quiet', 'no progress lines', false)
  for (const key of Object.keys(DeployConfigSchema.shape))
    program.option(`--${kebab(key)} <value>`, `${descriptions[key] ?? key} [env ${envName(key)}]`)
  program.parse(argv)
  const opts = program.opts<Record<string, string | boolean | undefined>>()
  const config: Record<string, string> = {}
  for (const key of Object.keys(DeployConfigSchema.shape)) {
    const value = opts[key] ?? env[envName(key)]
    if (typeof value === 'string' && value !== '') config[key] = value
  }
  return {
    config,
    out: opts.out as string | undefined,
    logLevel: opts.logLevel as string,
    quiet: opts.quiet === true,
  }
}

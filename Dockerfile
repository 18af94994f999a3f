# syntax=docker/dockerfile:1.7
# One image for every OpenLedger L2 service; the first argument picks the service:
#   docker run ghcr.io/…/openledger-l2 node --help      (opl-node)
#   … batcher | proposer | relayer | da-server | attribution | deploy | init-chain | anvil | health <url>
# The services are TypeScript run by tsx on Node 22 (no build step), so the image carries sources plus the
# production dependencies from the lockfile, and our contract artifacts compiled in a throwaway stage.

# The same Node as the workspace's `node` npm package (package.json devDependencies).
ARG NODE_VERSION=22.23.3
ARG PNPM_VERSION=12.21.0

FROM node:${NODE_VERSION}-bookworm-slim AS pnpm
ARG PNPM_VERSION
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
# pnpm from npm, not corepack: corepack 0.34 fails its signature check on pnpm 12 (docs/toolchain-offline.md row 5a).
RUN npm install --global --no-audit --no-fund "pnpm@${PNPM_VERSION}"
WORKDIR /app

# Full install (Hardhat, solc-js) only to compile contracts/ into artifacts/: opl-deploy reads OpenToken from there.
FROM pnpm AS contracts
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm install --frozen-lockfile --prefer-offline \
 && pnpm build:contracts

# Production dependencies only: no Hardhat, solc, EDR, vitest or the 185 MB `node` package.
FROM pnpm AS prod
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch --prod
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm install --frozen-lockfile --prod --prefer-offline
# `node --import tsx` resolves tsx from /app: in the workspace it is a root devDependency, which --prod leaves out,
# so link the exact tsx the service packages depend on (same lockfile version) where the root one would be.
RUN ln -sfn "$(readlink -f packages/batcher/node_modules/tsx)" node_modules/tsx \
 && node --import tsx -e "0" \
 && rm -rf contracts test bench scripts .ci hardhat.config.ts

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="openledger-l2" \
      org.opencontainers.image.description="OpenLedger L2 services: opl-node, opl-batcher, opl-proposer, opl-relayer, opl-da-server, opl-attribution, opl-deploy" \
      org.opencontainers.image.source="https://github.com/openledger/openledger-l2"
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod /app /app
# anvil for a local L1: the binary of the npm platform package @opl/devnet already depends on (as `pnpm devnet`).
RUN ln -sfn "$(readlink -f packages/devnet/node_modules/@foundry-rs/anvil)/../anvil-linux-$(dpkg --print-architecture)/bin/anvil" \
      /usr/local/bin/anvil \
 && anvil --version
COPY --from=contracts /app/artifacts/contracts /app/artifacts/contracts

# init-chain (.mts: ESM for its top-level await, with no package.json beside it): the L1 deploy (opl-deploy's
# config, env OPL_DEPLOY_*) plus genesis.json and rollup.json, in one process so nothing goes through a JSON round
# trip. Idempotent: files present and their L1 genesis block still on the L1 → exit 0; present but that block is
# gone (a wiped local L1) → exit 2 rather than silently fork the chain.
COPY <<'EOF' /app/docker/init-chain.mts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readFlagsAndEnv } from '../packages/devnet/src/deploy/cli-options.ts'
import { parseDeployConfig } from '../packages/devnet/src/deploy/config.ts'
import { deployL1 } from '../packages/devnet/src/deploy/deploy.ts'
import { DEPLOYMENT_FILE, GENESIS_FILE, ROLLUP_FILE, writeGenesisFiles, writeJson } from '../packages/devnet/src/devnet-files.ts'
import { buildDevnetGenesis } from '../packages/devnet/src/l2-genesis.ts'

const dir = process.argv[2] ?? '/chain'
const say = (line: string) => process.stderr.write(`init-chain: ${line}\n`)
const { config: raw } = readFlagsAndEnv(['node', 'init-chain'], process.env)
const config = parseDeployConfig(raw)

async function rpc(method: string, params: unknown[]): Promise<any> {
  const res = await fetch(config.l1Rpc, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(5_000),
  })
  const body = (await res.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(body.error.message)
  return body.result
}

// The L1 may still be starting (compose starts it alongside): wait, bounded.
for (let i = 0; ; i++) {
  try {
    await rpc('eth_chainId', [])
    break
  } catch (error) {
    if (i >= 120) throw new Error(`L1 ${new URL(config.l1Rpc).host} not reachable after 120 s: ${error}`)
    await new Promise((r) => setTimeout(r, 1_000))
  }
}

const files = [GENESIS_FILE, ROLLUP_FILE, DEPLOYMENT_FILE].map((f) => join(dir, f))
if (files.every((f) => existsSync(f))) {
  const rollup = JSON.parse(readFileSync(join(dir, ROLLUP_FILE), 'utf8'))
  const { hash, number } = rollup.genesis.l1
  const block = await rpc('eth_getBlockByNumber', [`0x${BigInt(number).toString(16)}`, false])
  if (block?.hash !== hash) {
    say(`${dir} belongs to an L1 whose block ${number} is ${hash}; this L1 has ${block?.hash ?? 'no such block'}.`)
    say('Point L1_RPC_URL at that L1, or start a new chain: docker compose down -v (deletes every volume).')
    process.exit(2)
  }
  say(`chain files present in ${dir} (L2 genesis ${rollup.genesis.l2.hash}); nothing to do`)
  process.exit(0)
}

mkdirSync(dir, { recursive: true })
const deployment = await deployL1(config, {
  onProgress: (p) => say(`[${p.step}/${p.total}] ${p.message}`),
})
// Same rollup parameters as `pnpm devnet`: alt-DA generic commitments (EigenDA through the proxy).
const built = await buildDevnetGenesis(deployment, {
  seqWindowSize: 200,
  channelTimeout: 120,
  altDa: {
    commitmentType: 'GenericCommitment',
    challengeContractAddress: '0x0000000000000000000000000000000000000000',
    challengeWindow: 160n,
    resolveWindow: 160n,
  },
})
writeGenesisFiles(dir, built.genesis.genesis, built.rollup)
// The addresses services need but cannot know before the deploy; `opl` exports each one the operator left unset.
const c = deployment.contracts
writeFileSync(
  join(dir, 'addresses.env'),
  [
    `OPL_PROPOSER_L2_OUTPUT_ORACLE=${c.L2OutputOracle}`,
    `OPL_RELAYER_L2_OUTPUT_ORACLE=${c.L2OutputOracle}`,
    `OPL_RELAYER_OPTIMISM_PORTAL=${c.OptimismPortal}`,
    `OPL_RELAYER_L1_START_BLOCK=${deployment.l1Genesis.number}`,
    '',
  ].join('\n'),
)
// Written last: its presence means the directory is complete.
writeJson(join(dir, DEPLOYMENT_FILE), deployment)
say(`L1 deployed (${deployment.transactions} txs), L2 genesis ${built.genesis.hash}, files in ${dir}`)
EOF

# The entrypoint: secrets from files, deploy outputs, then exec the service so it is PID 1's child and gets signals.
COPY --chmod=755 <<'EOF' /usr/local/bin/opl
#!/bin/sh
set -eu
# Docker secrets: OPL_<NAME>_FILE=/run/secrets/x sets OPL_<NAME> to the file's content (a key never sits in the
# compose file or `docker inspect`); the _FILE variable is removed so the service never sees an unknown name.
for name in $(env | sed -n 's/^\(OPL_[A-Z0-9_]*\)_FILE=.*/\1/p'); do
  eval "file=\${${name}_FILE}"
  value=$(cat "$file")
  export "$name=$value"
  unset "${name}_FILE"
done
# Contract addresses written by init-chain; a value the operator set wins.
if [ -r /chain/addresses.env ]; then
  while IFS='=' read -r key value; do
    case "$key" in
      OPL_*) eval "current=\${$key:-}"; [ -n "$current" ] || export "$key=$value" ;;
    esac
  done < /chain/addresses.env
fi
service="${1:-help}"
[ $# -gt 0 ] && shift
case "$service" in
  node) script=packages/node/src/cli.ts ;;
  batcher) script=packages/batcher/src/cli.ts ;;
  proposer) script=packages/proposer/src/cli.ts ;;
  relayer) script=packages/bridge-relayer/src/cli.ts ;;
  da-server) script=packages/da-server/src/cli.ts ;;
  attribution) script=packages/attribution-engine/src/cli.ts ;;
  deploy) script=packages/devnet/src/deploy/cli.ts ;;
  init-chain) script=docker/init-chain.mts ;;
  anvil) exec anvil "$@" ;;
  # Healthchecks: GET <url> (2xx = healthy), or with --rpc a JSON-RPC eth_chainId POST (anvil has no /healthz).
  health)
    exec node -e '
      const [url, mode] = process.argv.slice(1)
      const init = mode === "--rpc"
        ? { method: "POST", headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) }
        : {}
      fetch(url, { ...init, signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))
    ' "$@" ;;
  help|--help|-h)
    echo "usage: opl <node|batcher|proposer|relayer|da-server|attribution|deploy|init-chain|anvil> [flags]   (each has --help)"
    exit 0 ;;
  *) exec "$service" "$@" ;;
esac
exec node --import tsx "$script" "$@"
EOF

# Data directories owned by the runtime user: a new named volume copies the owner of the directory it is
# mounted on, so the services can write without running as root.
RUN mkdir -p /chain /data/node /data/l1 /data/da /data/relayer /data/attribution \
 && chown -R node:node /chain /data
USER node
ENTRYPOINT ["opl"]
CMD ["help"]

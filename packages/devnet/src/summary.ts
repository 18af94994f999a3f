import { join } from 'node:path'
import { HARDHAT_NETWORK_FILE, VIEM_CHAIN_FILE } from './client-files.js'
import { DEVNET_FILE, type DevnetJson } from './devnet-files.js'

/** What a user needs on screen once the devnet is up: endpoints, chain ids, key contracts, funded accounts, files. */
export function printSummary(devnet: DevnetJson, dataDir: string): void {
  const l1 = devnet.contracts.l1
  const l2 = devnet.contracts.l2
  const lines = [
    `L1 JSON-RPC   ${devnet.l1.rpc} (chain id ${devnet.l1.chainId})`,
    `L2 JSON-RPC   ${devnet.l2.rpc} (chain id ${devnet.l2.chainId}), WebSocket ${devnet.l2.ws}`,
    `Rollup RPC    ${devnet.rollupRpc} (optimism_syncStatus, optimism_rollupConfig)`,
    ...(devnet.l2.verifierRpc ? [`Verifier RPC  ${devnet.l2.verifierRpc} (re-derives every block from L1 + DA)`] : []),
    `DA server     ${devnet.daServer}`,
    `Relayer API   ${devnet.relayerApi}/v1/withdrawals/<l2 tx> (proposer and relayer logs in logs/)`,
    ...(devnet.attributionApi
      ? [
          `Attribution   ${devnet.attributionApi}/v1/attributions (Proof of Attribution API, settles as the devnet attestor)`,
        ]
      : []),
    `L1 Portal     ${l1.OptimismPortal}   L1StandardBridge ${l1.L1StandardBridge}`,
    `OPEN          L1 ${l1.OPEN}   L2 ${l2.OPEN}`,
    `AI layer (L2) DatanetRegistry ${l2.DatanetRegistry}   ModelRegistry ${l2.ModelRegistry}`,
    `              AttributionRewards ${l2.AttributionRewards}`,
    `L2 genesis    ${devnet.l2Genesis.hash}`,
    'Funded accounts (10000 ETH on L1 and L2; public test keys, dev only):',
    ...devnet.accounts.users.map((user, i) => `  (${i}) ${user.address}  ${user.privateKey}`),
    `devnet.json   ${join(dataDir, DEVNET_FILE)}`,
    `viem chain    ${join(dataDir, VIEM_CHAIN_FILE)}   Hardhat network ${join(dataDir, HARDHAT_NETWORK_FILE)}`,
    `logs          ${join(dataDir, 'logs')}`,
  ]
  console.log(lines.join('\n'))
}

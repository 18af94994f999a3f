/**
 * `--demo`: seeds the AI layer of a running devnet through its real interfaces — a Datanet, contributions put on
 * the DA server and approved on chain, a large (span) and a small (influence) model, and paid inferences
 * attributed by the running attribution service. Each step is exported on its own, so end-to-end tests drive the
 * same code and assert on every step.
 */
import { bridgeOpenToL2, DevnetFile, devnetChains, gasWithHeadroom, signInferenceOutput } from '@opl/attribution-engine'
import type { Logger } from 'pino'
import {
  type Abi,
  type Address,
  bytesToHex,
  createPublicClient,
  createWalletClient,
  erc20Abi,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  parseEther,
  parseEventLogs,
  type TransactionReceipt,
  toBytes,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { DevAccount } from './accounts.js'
import { readOwnArtifact } from './artifacts.js'
import { REPO_ROOT } from './deploy/artifacts.js'
import type { DevnetJson } from './devnet-files.js'

export class DemoError extends Error {
  override name = 'DemoError'
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export type DemoContext = {
  devnet: DevnetFile
  client: PublicClient
  abis: { datanets: Abi; models: Abi; rewards: Abi }
}

export function demoContext(devnet: DevnetJson): DemoContext {
  const file = DevnetFile.parse(devnet)
  const chain = devnetChains(file).l2
  return {
    devnet: file,
    client: createPublicClient({ chain, transport: http(file.l2.rpc), pollingInterval: 250 }) as PublicClient,
    abis: {
      datanets: readOwnArtifact(REPO_ROOT, 'datanets/DatanetRegistry.sol', 'DatanetRegistry').abi,
      models: readOwnArtifact(REPO_ROOT, 'models/ModelRegistry.sol', 'ModelRegistry').abi,
      rewards: readOwnArtifact(REPO_ROOT, 'attribution/AttributionRewards.sol', 'AttributionRewards').abi,
    },
  }
}

/** Sends one L2 contract call from `from` with gas headroom (gasWithHeadroom), waits for it and refuses a revert. */
export async function sendL2(
  ctx: DemoContext,
  from: DevAccount,
  call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] },
): Promise<TransactionReceipt> {
  const wallet = createWalletClient({
    account: privateKeyToAccount(from.privateKey),
    chain: ctx.client.chain,
    transport: http(ctx.devnet.l2.rpc),
  })
  // estimating also surfaces a revert with its decoded error, as a simulation would
  const estimate = await ctx.client.estimateContractGas({ ...call, account: wallet.account } as never)
  const hash = await wallet.writeContract({ ...call, gas: gasWithHeadroom(estimate) } as never)
  const receipt = await ctx.client.waitForTransactionReceipt({ hash, timeout: 120_000 })
  if (receipt.status !== 'success') throw new DemoError(`${call.functionName} reverted`, { hash })
  return receipt
}

const eventArgs = (abi: Abi, eventName: string, receipt: TransactionReceipt) => {
  const [log] = parseEventLogs({ abi, eventName, logs: receipt.logs })
  if (!log) throw new DemoError(`no ${eventName} event`, { tx: receipt.transactionHash })
  return (log as unknown as { args: Record<string, unknown> }).args
}

/** An owner-approval Datanet (contributions wait for review) paying its unattributed share to `treasury`. */
export async function createDemoDatanet(
  ctx: DemoContext,
  owner: DevAccount,
  args: { name: string; treasury: Address },
): Promise<bigint> {
  const receipt = await sendL2(ctx, owner, {
    address: ctx.devnet.contracts.l2.DatanetRegistry,
    abi: ctx.abis.datanets,
    functionName: 'createDatanet',
    args: [
      args.name,
      'CC-BY-4.0',
      'ipfs://opl-demo',
      { policy: 2, treasury: args.treasury, requiredStake: 0n, maxSubmissionsPerDay: 0, maxBytesPerDay: 0n },
    ],
  })
  return eventArgs(ctx.abis.datanets, 'DatanetCreated', receipt).datanetId as bigint
}

/** Puts `text` on the DA server (eigenda-proxy `POST /put`) and returns the commitment. */
export async function putOnDa(devnet: DevnetFile, text: string): Promise<Hex> {
  const res = await fetch(`${devnet.daServer}/put`, { method: 'POST', body: toBytes(text) })
  if (res.status !== 200) throw new DemoError('DA server refused the put', { status: res.status })
  return bytesToHex(new Uint8Array(await res.arrayBuffer()))
}

/** A contribution: content on the DA server, its hash and commitment submitted to the Datanet. */
export async function contribute(
  ctx: DemoContext,
  contributor: DevAccount,
  datanetId: bigint,
  text: string,
): Promise<Hex> {
  const dataRef = await putOnDa(ctx.devnet, text)
  const contentHash = keccak256(toBytes(text))
  await sendL2(ctx, contributor, {
    address: ctx.devnet.contracts.l2.DatanetRegistry,
    abi: ctx.abis.datanets,
    functionName: 'submitContribution',
    args: [datanetId, contentHash, dataRef, BigInt(toBytes(text).length), BigInt(text.split(/\s+/).length)],
  })
  return contentHash
}

/** The Datanet owner's review: approve, or reject (as spam: the contributor's penalty score rises). */
export async function review(
  ctx: DemoContext,
  owner: DevAccount,
  datanetId: bigint,
  hashes: Hex[],
  verdict: 'approve' | 'spam',
): Promise<TransactionReceipt> {
  return sendL2(ctx, owner, {
    address: ctx.devnet.contracts.l2.DatanetRegistry,
    abi: ctx.abis.datanets,
    functionName: verdict === 'approve' ? 'approveContributions' : 'rejectContributions',
    args: verdict === 'approve' ? [datanetId, hashes] : [datanetId, hashes, true],
  })
}

/** ModelRegistry.ModelKind: a large model's inferences are attributed by spans, a small model's by influence. */
export const MODEL_KIND = { large: 0, small: 1 } as const

/** Registers a model of `kind` trained on the Datanet's current version (50/30/20 split). */
export async function registerDemoModel(
  ctx: DemoContext,
  owner: DevAccount,
  args: { name: string; kind: keyof typeof MODEL_KIND; datanetId: bigint; ratePer1kIn: bigint; ratePer1kOut: bigint },
): Promise<bigint> {
  const version = (await ctx.client.readContract({
    address: ctx.devnet.contracts.l2.DatanetRegistry,
    abi: ctx.abis.datanets,
    functionName: 'currentVersion',
    args: [args.datanetId],
  })) as bigint
  const receipt = await sendL2(ctx, owner, {
    address: ctx.devnet.contracts.l2.ModelRegistry,
    abi: ctx.abis.models,
    functionName: 'registerModel',
    args: [
      {
        name: args.name,
        kind: MODEL_KIND[args.kind],
        baseModelId: keccak256(toBytes(`base:${args.name}`)),
        adapterHash: keccak256(toBytes(`adapter:${args.name}`)),
        adapterURI: '',
        datanets: [{ datanetId: args.datanetId, version, weightBps: 10_000 }],
        ratePer1kIn: args.ratePer1kIn,
        ratePer1kOut: args.ratePer1kOut,
        split: { ownerBps: 3000, contributorsBps: 5000, protocolBps: 2000 },
      },
    ],
  })
  return eventArgs(ctx.abis.models, 'ModelRegistered', receipt).modelId as bigint
}

/** Gives `payer` L2 OPEN (bridged from the deployer's L1 supply) and lets AttributionRewards pull it. */
export async function fundPayer(ctx: DemoContext, payer: DevAccount, amount: bigint): Promise<void> {
  const { devnet } = ctx
  await bridgeOpenToL2({ devnet, fromKey: devnet.accounts.deployer.privateKey, to: payer.address, amount })
  await sendL2(ctx, payer, {
    address: devnet.contracts.l2.OPEN,
    abi: erc20Abi,
    functionName: 'approve',
    args: [devnet.contracts.l2.AttributionRewards, amount],
  })
}

/** Pays one inference of `modelId`; returns its on-chain id (InferencePaid) and receipt. */
export async function payInference(
  ctx: DemoContext,
  payer: DevAccount,
  args: { modelId: bigint; inTokens: bigint; outTokens: bigint; requestRef: string },
): Promise<{ inferenceId: bigint; receipt: TransactionReceipt }> {
  const receipt = await sendL2(ctx, payer, {
    address: ctx.devnet.contracts.l2.AttributionRewards,
    abi: ctx.abis.rewards,
    functionName: 'payInference',
    args: [args.modelId, args.inTokens, args.outTokens, parseEther('1000'), keccak256(toBytes(args.requestRef))],
  })
  const inferenceId = eventArgs(ctx.abis.rewards, 'InferencePaid', receipt).inferenceId as bigint
  return { inferenceId, receipt }
}

export type AttributionResponse = {
  id: string
  method: 'span' | 'influence'
  epoch: number
  payouts: Record<string, string>
  result: {
    indexVersion: Hex
    digest: Hex
    contributors: Array<{ contributor: Address; weightWad: string }>
    unattributedWad: string
    penalties?: { block: string; scales: Array<{ contributor: Address; scaleWad: string }> }
  }
}

/**
 * Asks the attribution service to attribute a paid inference, signed by `modelOwner` (the service takes outputs
 * from the model's owner only). The service books it only once it has seen the payment confirmed, so an
 * UnknownInferenceError is retried (bounded) while the payment's block gets its confirmation.
 */
export async function attributeInference(
  ctx: DemoContext,
  api: string,
  args: { inferenceId: bigint; output: string; modelOwner: DevAccount; timeoutMs?: number },
): Promise<AttributionResponse> {
  const deadline = Date.now() + (args.timeoutMs ?? 60_000)
  const signature = await signInferenceOutput(privateKeyToAccount(args.modelOwner.privateKey), {
    chainId: ctx.devnet.l2.chainId,
    rewards: ctx.devnet.contracts.l2.AttributionRewards,
    inferenceId: args.inferenceId,
    output: args.output,
  })
  for (;;) {
    const res = await fetch(`${api}/v1/attributions`, {
      method: 'POST',
      body: JSON.stringify({ output: args.output, inferenceId: args.inferenceId.toString(), signature }),
      signal: AbortSignal.timeout(120_000),
    })
    const body = (await res.json()) as AttributionResponse & { error?: string; message?: string }
    if (res.status === 200) return body
    if (body.error !== 'UnknownInferenceError' || Date.now() > deadline)
      throw new DemoError('attribution refused', { status: res.status, ...body })
    await new Promise((r) => setTimeout(r, 1_000))
  }
}

/** Waits until the attribution service's index holds at least `contributions` contributions. */
export async function waitForIndexed(api: string, contributions: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const health = (await (await fetch(`${api}/healthz`)).json()) as { contributions: number }
    if (health.contributions >= contributions) return
    if (Date.now() > deadline)
      throw new DemoError('the attribution service did not index the contributions in time', { ...health })
    await new Promise((r) => setTimeout(r, 500))
  }
}

/**
 * Waits until the service's `/readyz` answers 200: its chain answers and its attestor is bonded (the service bonds in
 * the background after its API is up; settlement waits for it).
 */
export async function waitForAttestorBond(api: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const res = await fetch(`${api}/readyz`)
    const body = (await res.json()) as Record<string, unknown>
    if (res.ok) return
    if (Date.now() > deadline) throw new DemoError('the attribution service did not get ready (attestor bond)', body)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Texts of the demo: each contributor's rows, and model outputs that quote some of them. */
export function demoTexts(): { contributions: string[][]; outputs: { large: string; small: string } } {
  const contributions = [
    [
      'OpenLedger pays data contributors every time a model uses what they shared in a Datanet.',
      'Proof of Attribution traces each inference back to the rows that shaped the answer.',
    ],
    [
      'A rollup posts its batches to a data availability layer and its commitments to Ethereum.',
      'The sequencer orders transactions and the batcher compresses them into channels and frames.',
    ],
  ]
  return {
    contributions,
    outputs: {
      large: `Here is how it works. ${contributions[0]![1]} Also, ${contributions[1]![0]}`,
      small: `${contributions[1]![1]} ${contributions[0]![0]}`,
    },
  }
}

/**
 * The whole demo: users[0] owns a Datanet, users[1] and users[2] contribute (on the DA server, approved), users[0]
 * registers a large and a small model, users[3] pays one inference of each and the service attributes them
 * (spans for the large model, influence for the small one, as registered). Returns what was created, once the
 * service's attestor is bonded too (it bonds in the background meanwhile).
 */
export async function seedAttributionDemo(args: { devnet: DevnetJson; attributionApi: string; log?: Logger }): Promise<{
  datanetId: bigint
  contributions: Hex[]
  models: { large: bigint; small: bigint }
  inferences: Array<{ inferenceId: bigint; modelId: bigint } & Pick<AttributionResponse, 'method' | 'payouts'>>
}> {
  const ctx = demoContext(args.devnet)
  const [owner, alice, bob, payer] = ctx.devnet.accounts.users as [DevAccount, DevAccount, DevAccount, DevAccount]
  const texts = demoTexts()
  const datanetId = await createDemoDatanet(ctx, owner, { name: 'opl-demo', treasury: owner.address })
  const contributions = [
    await contribute(ctx, alice, datanetId, texts.contributions[0]!.join('\n')),
    await contribute(ctx, bob, datanetId, texts.contributions[1]!.join('\n')),
  ]
  await review(ctx, owner, datanetId, contributions, 'approve')
  args.log?.info({ datanetId, contributions }, 'demo: Datanet and approved contributions')
  const rates = { ratePer1kIn: parseEther('0.01'), ratePer1kOut: parseEther('0.03') }
  const models = {
    large: await registerDemoModel(ctx, owner, { name: 'demo-large', kind: 'large', datanetId, ...rates }),
    small: await registerDemoModel(ctx, owner, { name: 'demo-small', kind: 'small', datanetId, ...rates }),
  }
  await fundPayer(ctx, payer, parseEther('100'))
  await waitForIndexed(args.attributionApi, contributions.length)
  const inferences = []
  for (const kind of ['large', 'small'] as const) {
    const modelId = models[kind]
    const { inferenceId } = await payInference(ctx, payer, {
      modelId,
      inTokens: 120n,
      outTokens: 60n,
      requestRef: `demo-${kind}`,
    })
    // the service picks the scorer from the model's registered kind
    const res = await attributeInference(ctx, args.attributionApi, {
      inferenceId,
      output: texts.outputs[kind],
      modelOwner: owner,
    })
    inferences.push({ inferenceId, modelId, method: res.method, payouts: res.payouts })
    args.log?.info({ inferenceId, modelId, method: res.method, payouts: res.payouts }, 'demo: inference attributed')
  }
  await waitForAttestorBond(args.attributionApi)
  return { datanetId, contributions, models, inferences }
}

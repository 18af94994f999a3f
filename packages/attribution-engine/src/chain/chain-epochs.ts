import type { Logger } from 'pino'
import { type Address, getAddress, type Hex, type PublicClient, toHex } from 'viem'
import type { SettleableResult } from '../scoring/scorer.js'
import { type DatanetShare, distributeContributorsPart } from '../settlement/distribute-contributors-part.js'
import type { EpochBook } from '../settlement/epoch-book.js'
import type { EpochSettlement } from '../settlement/settler.js'
import { attributionRewardsAbi, datanetRegistryAbi, modelRegistryAbi } from './abis.js'
import { InferenceAlreadyAttributedError, UnknownInferenceError } from './errors.js'
import type { InferenceFeed, PaidInference } from './inference-feed.js'
import { readJsonFile, writeJsonFile } from './json-file.js'
import type { BlockMark } from './log-scanner.js'

export type ChainEpochsOptions = {
  client: PublicClient
  rewards: Address
  models: Address
  registry: Address
  feed: InferenceFeed
  book: EpochBook
  /** where paid-but-unsettled inferences, their attributions and the feed mark are kept across restarts */
  stateFile?: string
  /** seconds after an epoch ends before it is settled, for late attributions (unattributed ones go to treasuries) */
  graceSeconds?: number
  log?: Logger
}

type Json<T> = { [K in keyof T]: T[K] extends bigint ? string : T[K] }
type State = {
  mark?: { block: string; hash: Hex }
  paid: Array<Json<PaidInference>>
  results: Record<string, SettleableResult>
}

/** Most epochs one `settleReady` call settles (bounds the loop; the rest wait for the next poll). */
const MAX_EPOCHS_PER_CALL = 64

const fromJson = (p: Json<PaidInference>): PaidInference => ({
  ...p,
  inferenceId: BigInt(p.inferenceId),
  epoch: BigInt(p.epoch),
  index: BigInt(p.index),
  modelId: BigInt(p.modelId),
  inTokens: BigInt(p.inTokens),
  outTokens: BigInt(p.outTokens),
  modelFee: BigInt(p.modelFee),
  platformFee: BigInt(p.platformFee),
  ownerPart: BigInt(p.ownerPart),
  contributorsPart: BigInt(p.contributorsPart),
  protocolPart: BigInt(p.protocolPart),
  blockNumber: BigInt(p.blockNumber),
})

const toJson = (p: PaidInference): Json<PaidInference> =>
  Object.fromEntries(
    Object.entries(p).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]),
  ) as Json<PaidInference>

/**
 * Books attributions into AttributionRewards' epochs. Paid inferences come from the InferenceFeed; an attribution
 * names its on-chain inference id and is booked with the split the contract escrowed (not recomputed). Once an
 * epoch has ended (plus a grace period) and every payment the contract counted is known, the whole epoch is
 * booked — inferences without an attribution pay their contributors' part to the model's Datanet treasuries —
 * and closed through the EpochBook, whose Settler posts it.
 */
export class ChainEpochs {
  private paid = new Map<bigint, PaidInference>()
  private results = new Map<bigint, SettleableResult>()
  private mark: BlockMark | undefined
  private timing: { genesis: bigint; length: bigint } | undefined

  constructor(private readonly options: ChainEpochsOptions) {}

  /** Loads the persisted state (call once before use). */
  async load(): Promise<void> {
    if (!this.options.stateFile) return
    const state = await readJsonFile<State>(this.options.stateFile)
    if (!state) return
    this.mark = state.mark ? { block: BigInt(state.mark.block), hash: state.mark.hash } : undefined
    for (const p of state.paid) this.paid.set(BigInt(p.inferenceId), fromJson(p))
    for (const [id, r] of Object.entries(state.results)) this.results.set(BigInt(id), r)
  }

  /** Reads new confirmed payments; returns how many. */
  async sync(): Promise<number> {
    const { paid, mark } = await this.options.feed.next(this.mark)
    for (const p of paid) if (!this.options.book.isClosed(Number(p.epoch))) this.paid.set(p.inferenceId, p)
    this.mark = mark
    await this.persist()
    return paid.length
  }

  /** Books `result` as the attribution of on-chain inference `inferenceId`; returns its epoch and payouts. */
  async attribute(
    inferenceId: bigint,
    result: SettleableResult,
  ): Promise<{ epoch: number; payouts: Map<Address, bigint> }> {
    if (!this.paid.has(inferenceId)) await this.sync()
    const paid = this.paid.get(inferenceId)
    if (!paid)
      throw new UnknownInferenceError('no confirmed, unsettled InferencePaid with this id', {
        inferenceId: inferenceId.toString(),
      })
    // The first booking stands: the same output again gets it back (a retry whose answer was lost), another is refused.
    const first = this.results.get(inferenceId)
    if (first && first.outputHash !== result.outputHash)
      throw new InferenceAlreadyAttributedError('this inference already has an attribution of another output', {
        inferenceId: inferenceId.toString(),
        outputHash: first.outputHash,
      })
    const booked = first ?? result
    if (!first) {
      // Only what settlement needs is kept: the evidence stays with the stored attribution result.
      const { indexVersion, outputHash, contributors, unattributedWad, digest } = result
      this.results.set(inferenceId, { indexVersion, outputHash, contributors, unattributedWad, digest })
      await this.persist()
    }
    const payouts = distributeContributorsPart({
      amount: paid.contributorsPart,
      weights: booked.contributors,
      unattributedWad: booked.unattributedWad,
      datanets: await this.datanetShares(paid.modelId),
    })
    return { epoch: Number(paid.epoch), payouts }
  }

  /** Settles every ended epoch whose payments are all known; returns what was settled. */
  async settleReady(): Promise<EpochSettlement[]> {
    await this.sync()
    const { client, rewards, book, log } = this.options
    const timing = await this.epochTiming()
    const now = (await client.getBlock({ blockTag: 'latest' })).timestamp
    const grace = BigInt(this.options.graceSeconds ?? 0)
    const epochs = [...new Set([...this.paid.values()].map((p) => p.epoch))].sort((a, b) => (a < b ? -1 : 1))
    const settled: EpochSettlement[] = []
    for (const epoch of epochs.slice(0, MAX_EPOCHS_PER_CALL)) {
      if (now < timing.genesis + (epoch + 1n) * timing.length + grace) break
      const known = [...this.paid.values()]
        .filter((p) => p.epoch === epoch)
        .sort((a, b) => (a.index < b.index ? -1 : 1))
      const escrow = await client.readContract({
        address: rewards,
        abi: attributionRewardsAbi,
        functionName: 'getEscrow',
        args: [epoch],
      })
      if (BigInt(known.length) < escrow.inferenceCount) {
        log?.info({ epoch, known: known.length, paid: escrow.inferenceCount }, 'epoch waits for confirmed payments')
        continue
      }
      const n = Number(epoch)
      try {
        for (const p of known)
          book.book(this.results.get(p.inferenceId), {
            epoch: n,
            inferenceId: toHex(p.inferenceId, { size: 32 }),
            modelId: toHex(p.modelId, { size: 32 }),
            inTokens: p.inTokens,
            outTokens: p.outTokens,
            parts: {
              owner: p.ownerPart,
              contributors: p.contributorsPart,
              protocol: p.protocolPart,
              platform: p.platformFee,
            },
            datanets: await this.datanetShares(p.modelId),
          })
        settled.push(await book.close(n))
      } catch (err) {
        book.discard(n)
        throw err
      }
      for (const p of known) {
        this.paid.delete(p.inferenceId)
        this.results.delete(p.inferenceId)
      }
      await this.persist()
    }
    return settled
  }

  /** The model's Datanets' treasuries, weighted as the model cites them (for the unattributed share). */
  private async datanetShares(modelId: bigint): Promise<DatanetShare[]> {
    const { client, models, registry } = this.options
    const refs = await client.readContract({
      address: models,
      abi: modelRegistryAbi,
      functionName: 'datanetsOf',
      args: [modelId],
    })
    return Promise.all(
      refs.map(async (r) => ({
        treasury: getAddress(
          await client.readContract({
            address: registry,
            abi: datanetRegistryAbi,
            functionName: 'treasuryOf',
            args: [r.datanetId],
          }),
        ),
        weight: BigInt(r.weightBps),
      })),
    )
  }

  private async epochTiming(): Promise<{ genesis: bigint; length: bigint }> {
    if (this.timing) return this.timing
    const { client, rewards } = this.options
    const [genesis, length] = await Promise.all([
      client.readContract({ address: rewards, abi: attributionRewardsAbi, functionName: 'genesisTime' }),
      client.readContract({ address: rewards, abi: attributionRewardsAbi, functionName: 'epochLength' }),
    ])
    this.timing = { genesis, length }
    return this.timing
  }

  private async persist(): Promise<void> {
    if (!this.options.stateFile) return
    await writeJsonFile(this.options.stateFile, {
      mark: this.mark ? { block: this.mark.block.toString(), hash: this.mark.hash } : undefined,
      paid: [...this.paid.values()].map(toJson),
      results: Object.fromEntries([...this.results].map(([id, r]) => [id.toString(), r])),
    } satisfies State)
  }
}

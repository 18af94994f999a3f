import type { Address, Hex } from 'viem'

/** One approved contribution as the registry records it. */
export type ContributionRecord = {
  /** contribution id as registered on chain (decimal or hex string) */
  id: string
  contributor: Address
  datanetId: string
  /** keccak256 of the content bytes, as recorded on chain */
  contentHash: Hex
  /** registration order (on chain: blockNumber << 32 | logIndex); the earliest registration owns a text */
  order: bigint
  /** where the content lives (DA commitment or URI); sources interpret it */
  uri?: string
}

/**
 * Where approved contributions come from. The chain-facing implementation (DatanetRegistry `ContributionApproved`
 * events + DA server fetch by commitment) plugs in here; tests and the CLI use the in-memory and file sources.
 */
export interface ContributionSource {
  /** Approved contributions registered strictly after `after`, in registration order. */
  contributions(after?: bigint): AsyncIterable<ContributionRecord>
  /** The raw content of a contribution; the engine checks it against `contentHash`. */
  fetchContent(record: ContributionRecord): Promise<Uint8Array>
}

import { type Address, keccak256, toBytes } from 'viem'
import { NotFoundError } from '../errors.js'
import type { ContributionRecord, ContributionSource } from './contribution-source.js'

export type ContributionWithContent = { record: ContributionRecord; content: Uint8Array }

/** A contribution record whose hash is computed from the text (for tests, generators and local files). */
export function makeContribution(args: {
  id: string
  contributor: Address
  datanetId?: string
  order: bigint
  text: string
}): ContributionWithContent {
  const content = toBytes(args.text)
  return {
    record: {
      id: args.id,
      contributor: args.contributor,
      datanetId: args.datanetId ?? '1',
      contentHash: keccak256(content),
      order: args.order,
    },
    content,
  }
}

/** Contributions held in memory; `push` adds new ones as an approval event would. */
export class InMemoryContributionSource implements ContributionSource {
  private readonly items: ContributionWithContent[] = []

  constructor(items: ContributionWithContent[] = []) {
    for (const item of items) this.push(item)
  }

  push(item: ContributionWithContent): void {
    this.items.push(item)
    this.items.sort((a, b) => (a.record.order < b.record.order ? -1 : a.record.order > b.record.order ? 1 : 0))
  }

  async *contributions(after?: bigint): AsyncIterable<ContributionRecord> {
    for (const { record } of [...this.items]) if (after === undefined || record.order > after) yield record
  }

  async fetchContent(record: ContributionRecord): Promise<Uint8Array> {
    const item = this.items.find((i) => i.record.id === record.id)
    if (!item) throw new NotFoundError('no content for contribution', { id: record.id })
    return item.content
  }
}

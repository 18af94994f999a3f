import { keccak256 } from 'viem'
import { ContentHashMismatchError } from '../errors.js'
import type { ContributionRecord } from './contribution-source.js'

/** Throws unless keccak256(content) equals the hash the registry recorded. */
export function verifyContentHash(record: ContributionRecord, content: Uint8Array): void {
  const actual = keccak256(content)
  if (actual !== record.contentHash.toLowerCase())
    throw new ContentHashMismatchError('content does not match its on-chain hash', {
      id: record.id,
      expected: record.contentHash,
      actual,
    })
}

import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Address, Hex } from 'viem'
import type { EpochSettlement } from '../settlement/settler.js'
import { readJsonFile, writeJsonFile } from './json-file.js'

/** A settled epoch as kept on disk: what was posted, the proofs to serve, and where it landed on chain. */
export type SettledEpoch = EpochSettlement & { txHash: Hex; blockNumber: string; attestor: Address; settledAt: string }

/** Most epoch files read at start-up (bounds the directory walk; years of hourly epochs fit). */
const MAX_EPOCH_FILES = 1_000_000

/** One JSON file per settled epoch (`epoch-<n>.json`), written atomically after the receipt. */
export class SettledStore {
  constructor(private readonly dir: string) {}

  private path(epoch: number): string {
    return join(this.dir, `epoch-${epoch}.json`)
  }

  save(epoch: SettledEpoch): Promise<void> {
    return writeJsonFile(this.path(epoch.epoch), epoch)
  }

  get(epoch: number): Promise<SettledEpoch | undefined> {
    return readJsonFile<SettledEpoch>(this.path(epoch))
  }

  /** Every settled epoch, ascending. */
  async list(): Promise<SettledEpoch[]> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    const epochs = names
      .slice(0, MAX_EPOCH_FILES)
      .map((n) => /^epoch-(\d+)\.json$/.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
    const out: SettledEpoch[] = []
    for (const e of epochs) {
      const s = await this.get(e)
      if (s) out.push(s)
    }
    return out
  }
}

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { RLP } from '@ethereumjs/rlp'

/**
 * geth's local-transaction journal (core/txpool/legacypool/journal.go, `transactions.rlp`): every tx the pool
 * acknowledges is appended before `eth_sendRawTransaction` returns its hash, so acknowledged-but-unmined txs survive
 * a crash and are re-validated into the pool on start. Same file format as geth: a stream of RLP items, a legacy tx
 * as its RLP list, a typed tx as an RLP string holding `type || payload`.
 *
 * Durability: the append is a synchronous write(2), complete before the hash is returned, so it survives the process
 * being killed (kill -9, OOM); like geth's journal it is not fsynced per tx, so a power loss may drop the last txs.
 * `rotate()` rewrites the file with the pool's current txs (temp file, fsync, rename) to drop mined and stale ones.
 */
export class TxJournal {
  private fd: number | undefined
  /** records appended since the last rotation (a growth measure for the pool's rotation policy) */
  appended = 0

  constructor(readonly path: string) {}

  /** The raw txs in the journal, oldest first. A torn last record (a crash mid-append) ends the stream. */
  load(): { raws: Uint8Array[]; torn: boolean } {
    if (!existsSync(this.path)) return { raws: [], torn: false }
    let rest: Uint8Array = readFileSync(this.path)
    const raws: Uint8Array[] = []
    while (rest.length > 0) {
      let decoded: { data: unknown; remainder: Uint8Array }
      try {
        decoded = RLP.decode(rest, true) as { data: unknown; remainder: Uint8Array }
      } catch {
        return { raws, torn: true }
      }
      const item = rest.subarray(0, rest.length - decoded.remainder.length)
      // a list is a legacy tx (its own raw form), a string a typed tx's envelope
      raws.push(Uint8Array.from(item[0]! >= 0xc0 ? item : (decoded.data as Uint8Array)))
      rest = decoded.remainder
    }
    return { raws, torn: false }
  }

  /** Appends one acknowledged tx; throws if the write fails (the tx must then not be acknowledged). */
  append(raw: Uint8Array): void {
    this.fd ??= openSync(this.path, 'a')
    const record = encodeRecord(raw)
    let written = 0
    while (written < record.length) written += writeSync(this.fd, record, written)
    this.appended++
  }

  /** Replaces the journal with exactly `raws` (atomically: a crash leaves the old or the new file). */
  rotate(raws: Iterable<Uint8Array>): void {
    this.close()
    const temp = `${this.path}.new`
    const fd = openSync(temp, 'w')
    try {
      for (const raw of raws) {
        const record = encodeRecord(raw)
        let written = 0
        while (written < record.length) written += writeSync(fd, record, written)
      }
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, this.path)
    this.appended = 0
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}

function encodeRecord(raw: Uint8Array): Uint8Array {
  return raw[0]! >= 0xc0 ? raw : RLP.encode(raw)
}

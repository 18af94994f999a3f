import { createHash } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { bytesToHex, type Hex, hexToBytes } from 'viem'
import type { GenesisSpec } from './engine/genesis.js'

/** Next to the LevelDB files: which genesis spec this data dir was started with and the state root it had. */
const FILE = 'genesis-state.json'

type GenesisRecord = { spec: string; stateRoot: Hex }

const digestOf = (spec: GenesisSpec) =>
  createHash('sha256')
    .update(JSON.stringify(spec, (_, v) => (typeof v === 'bigint' ? v.toString() : v)))
    .digest('hex')

/**
 * The genesis state root recorded by an earlier start with the same genesis spec, so the engine can skip applying the
 * alloc again; undefined when there is none, it is unreadable, or the spec changed (then the alloc is applied and the
 * store's genesis-hash check decides).
 */
export async function recordedGenesisRoot(dataDir: string, spec: GenesisSpec): Promise<Uint8Array | undefined> {
  try {
    const record = JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as GenesisRecord
    return record.spec === digestOf(spec) && /^0x[0-9a-f]{64}$/.test(record.stateRoot)
      ? hexToBytes(record.stateRoot)
      : undefined
  } catch {
    return undefined
  }
}

/** Records the genesis state root once the store holds it (written through a temporary file: never half a record). */
export async function recordGenesisRoot(dataDir: string, spec: GenesisSpec, stateRoot: Uint8Array): Promise<void> {
  const record: GenesisRecord = { spec: digestOf(spec), stateRoot: bytesToHex(stateRoot) }
  const file = join(dataDir, FILE)
  await writeFile(`${file}.tmp`, JSON.stringify(record))
  await rename(`${file}.tmp`, file)
}

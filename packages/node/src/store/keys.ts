/** Sublevel names of the chain store, all in the engine's LevelDB so one batch spans nodes and block records. */
export const SUBLEVELS = {
  /** block number → header RLP */
  headers: 'headers',
  /** block number → RLP list of the EIP-2718 tx bytes */
  bodies: 'bodies',
  /** block number → receipts (receipt-codec) */
  receipts: 'receipts',
  /** block hash → block number */
  hashes: 'hashes',
  /** tx hash → `number:index` */
  txs: 'txs',
  /** head / safe / finalized → block hash; MetaRecord names → JSON */
  meta: 'meta',
} as const

/** Fixed-width hex so LevelDB's byte order is numeric order (range scans for eth_getLogs). */
export function numberKey(number: bigint): string {
  return number.toString(16).padStart(16, '0')
}

export type HeadLabel = 'head' | 'safe' | 'finalized'

/** JSON records kept beside the head labels: `safeOrigin` is derivation's last safe-block → L1-block record. */
export type MetaRecord = 'safeOrigin'

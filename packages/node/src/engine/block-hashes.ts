import type { EVMMockBlockchainInterface } from '@ethereumjs/evm'

type EVMMockBlock = { hash(): Uint8Array }

const EMPTY: EVMMockBlock = { hash: () => new Uint8Array(32) }

/**
 * Serves the BLOCKHASH opcode. The EVM only asks for the 256 most recent blocks, so a bounded map of canonical hashes
 * is enough; the chain store refills it after a restart or reorg.
 */
export class BlockHashes implements EVMMockBlockchainInterface {
  private readonly hashes = new Map<number, Uint8Array>()

  set(number: bigint, hash: Uint8Array): void {
    this.hashes.set(Number(number), hash)
    this.hashes.delete(Number(number) - 257)
  }

  async getBlock(blockId: number): Promise<EVMMockBlock> {
    const hash = this.hashes.get(blockId)
    return hash ? { hash: () => hash } : EMPTY
  }

  async putBlock(block: EVMMockBlock & { header?: { number: bigint } }): Promise<void> {
    if (block.header) this.set(block.header.number, block.hash())
  }

  shallowCopy(): EVMMockBlockchainInterface {
    return this
  }
}

import type { Common } from '@ethereumjs/common'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'

/** Root of an index-keyed trie (transactions, receipts): key `rlp(i)`, value the i-th encoded item. */
export async function orderedTrieRoot(values: Uint8Array[], common: Common): Promise<Uint8Array> {
  const trie = new MerklePatriciaTrie({ common })
  for (const [i, value] of values.entries()) await trie.put(RLP.encode(i), value)
  return trie.root()
}

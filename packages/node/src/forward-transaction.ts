import type { Hex } from 'viem'
import { RpcError, RpcErrorCode } from './rpc/errors.js'

/**
 * eth_sendRawTransaction on a verifier, as op-geth's `--rollup.sequencerhttp`: the raw tx goes to the sequencer's
 * JSON-RPC and its answer (the hash, or its error with code and message, e.g. `nonce too low`) is returned as is.
 * Without a sequencer URL the verifier refuses with a clear message: it has no tx pool.
 */
export function rawTransactionForwarder(sequencerHttp: string | undefined): (raw: Hex) => Promise<Hex> {
  return async (raw) => {
    if (!sequencerHttp) {
      throw new RpcError(
        RpcErrorCode.server,
        'transactions are not accepted here: this node is a verifier without --sequencer-http; send it to the sequencer',
      )
    }
    let response: Response
    try {
      response = await fetch(sequencerHttp, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [raw] }),
        signal: AbortSignal.timeout(10_000),
      })
    } catch (error) {
      throw new RpcError(RpcErrorCode.server, `sequencer unreachable: ${(error as Error).message}`)
    }
    const body = (await response.json().catch(() => undefined)) as
      | { result?: Hex; error?: { code: number; message: string; data?: unknown } }
      | undefined
    if (body?.error) throw new RpcError(body.error.code, body.error.message, body.error.data)
    if (typeof body?.result !== 'string') {
      throw new RpcError(RpcErrorCode.server, `sequencer answered HTTP ${response.status} without a tx hash`)
    }
    return body.result
  }
}

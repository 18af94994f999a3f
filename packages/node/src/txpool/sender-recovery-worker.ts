/**
 * The sender-recovery worker: decodes each raw tx with the engine's own decoder and recovers its sender exactly as the
 * pool would on the main thread (same ethereumjs code, same Common), then answers with what the pool needs from it,
 * the bytes included (the hex → bytes conversion is done here too).
 * A tx that fails here gets `null`: the pool then runs its inline path, which throws the exact error for it.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { hexToBytes } from '@ethereumjs/util'
import { createEngineCommon } from '../engine/common.js'
import { checksumAddress } from '../engine/crypto.js'
import { decodeSignedTx, signedTxHash } from '../engine/transactions.js'
import type { RecoveryReply, RecoveryRequest, RecoveryWorkerData } from './sender-recovery.js'

const common = createEngineCommon((workerData as RecoveryWorkerData).chainId)
const port = parentPort!

port.on('message', ({ id, raws }: RecoveryRequest) => {
  const recovered = raws.map((rawHex) => {
    try {
      const raw = hexToBytes(rawHex)
      const sender = decodeSignedTx(raw, common).getSenderAddress().bytes
      return { raw, sender, checksummed: checksumAddress(sender), hash: signedTxHash(raw) }
    } catch {
      return null
    }
  })
  const cpu = process.threadCpuUsage()
  port.postMessage({ id, recovered, cpuMs: (cpu.user + cpu.system) / 1000 } satisfies RecoveryReply)
})
port.postMessage('ready')

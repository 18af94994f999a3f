import { type Address, decodeAbiParameters, encodeAbiParameters, getAddress, type Hex, isAddressEqual } from 'viem'
import { chainConfig } from 'viem/op-stack'
import { MessagePassedLogError, WithdrawalHashMismatchError } from './errors.js'
import { hashWithdrawal, type Withdrawal } from './withdrawal.js'

/** keccak256("MessagePassed(uint256,address,address,uint256,uint256,bytes,bytes32)") */
export const MESSAGE_PASSED_TOPIC: Hex = '0x02a52367d10742d8032712c1bb8e0144ff1ec5ffda1ed7d70bb05a2744955054'

export const L2_TO_L1_MESSAGE_PASSER: Address = chainConfig.contracts.l2ToL1MessagePasser.address

/** A withdrawal as announced by `MessagePassed`, with the hash the contract stored in `sentMessages`. */
export type MessagePassed = Withdrawal & { withdrawalHash: Hex }

export type LogLike = { address: Address; topics: readonly Hex[]; data: Hex }

const dataParameters = [{ type: 'uint256' }, { type: 'uint256' }, { type: 'bytes' }, { type: 'bytes32' }] as const

function topicToAddress(topic: Hex, field: string): Address {
  // An indexed address is left-padded with 12 zero bytes; anything else was not emitted by the message passer.
  if (!/^0x0{24}[0-9a-fA-F]{40}$/.test(topic))
    throw new MessagePassedLogError(`${field} topic is not an address`, { [field]: topic })
  return getAddress(`0x${topic.slice(26)}`)
}

/**
 * Decodes `MessagePassed(uint256 indexed nonce, address indexed sender, address indexed target, uint256 value,
 * uint256 gasLimit, bytes data, bytes32 withdrawalHash)`. Strict: the ABI data must be canonical and the stated
 * withdrawal hash must equal the hash of the fields, so a malformed or forged log is an error, never a wrong value.
 */
export function decodeMessagePassedLog(log: Pick<LogLike, 'topics' | 'data'>): MessagePassed {
  const { topics, data } = log
  if (topics[0]?.toLowerCase() !== MESSAGE_PASSED_TOPIC) {
    throw new MessagePassedLogError('not a MessagePassed log', { topic0: topics[0] })
  }
  if (topics.length !== 4) throw new MessagePassedLogError('MessagePassed has 4 topics', { topics: topics.length })
  const nonce = BigInt(topics[1] as Hex)
  const sender = topicToAddress(topics[2] as Hex, 'sender')
  const target = topicToAddress(topics[3] as Hex, 'target')
  let fields: readonly [bigint, bigint, Hex, Hex]
  try {
    fields = decodeAbiParameters(dataParameters, data)
  } catch (error) {
    throw new MessagePassedLogError(`undecodable data: ${(error as Error).message}`, { data })
  }
  if (encodeAbiParameters(dataParameters, fields) !== data.toLowerCase()) {
    throw new MessagePassedLogError('data is not the canonical ABI encoding', { data })
  }
  const [value, gasLimit, payload, withdrawalHash] = fields
  const withdrawal: Withdrawal = { nonce, sender, target, value, gasLimit, data: payload }
  const expected = hashWithdrawal(withdrawal)
  if (expected !== withdrawalHash) {
    throw new WithdrawalHashMismatchError('withdrawalHash is not the hash of the logged fields', {
      withdrawalHash,
      expected,
    })
  }
  return { ...withdrawal, withdrawalHash }
}

/**
 * The withdrawals initiated in a receipt: `MessagePassed` logs emitted by the message passer itself. Unlike viem's
 * `extractWithdrawalMessageLogs`, logs of the same shape from any other contract are ignored, since only the
 * predeploy's `sentMessages` can be proven on L1.
 */
export function extractMessagePassedLogs(
  logs: readonly LogLike[],
  messagePasser: Address = L2_TO_L1_MESSAGE_PASSER,
): MessagePassed[] {
  return logs
    .filter(
      (log) => isAddressEqual(log.address, messagePasser) && log.topics[0]?.toLowerCase() === MESSAGE_PASSED_TOPIC,
    )
    .map(decodeMessagePassedLog)
}

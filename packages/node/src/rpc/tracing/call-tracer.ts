import type { EVMResult, InterpreterStep, Message } from '@ethereumjs/evm'
import { Address, generateAddress2 } from '@ethereumjs/util'
import type { VM } from '@ethereumjs/vm'
import type { Hex } from 'viem'
import { bytesToHex } from 'viem'
import { quantity } from '../format.js'
import { revertReason } from '../revert-reason.js'

/** geth's callTracer config (eth/tracers/native/call.go). */
export type CallTracerConfig = { onlyTopCall?: boolean; withLog?: boolean }

type CallLog = { address: Hex; topics: Hex[]; data: Hex; position: Hex }

/** One frame in geth's callTracer JSON shape; absent fields are omitted as geth's `omitempty` does. */
export type CallFrame = {
  type: string
  from: Hex
  to?: Hex
  value?: Hex
  gas: Hex
  gasUsed: Hex
  input: Hex
  output?: Hex
  error?: string
  revertReason?: string
  logs?: CallLog[]
  calls?: CallFrame[]
}

type OpenFrame = { frame: CallFrame; executing: Address; logs: CallLog[]; calls: CallFrame[] }

const CALL_OPS = new Set(['CALL', 'CALLCODE', 'DELEGATECALL', 'STATICCALL', 'CREATE', 'CREATE2'])

/** ethereumjs' EVM error strings → geth's (core/vm/errors.go), as clients match on them. */
const GETH_ERRORS: Record<string, string> = {
  revert: 'execution reverted',
  'out of gas': 'out of gas',
  'code store out of gas': 'contract creation code storage out of gas',
  'code size to deposit exceeds maximum code size': 'max code size exceeded',
  'stack underflow': 'stack underflow',
  'stack overflow': 'stack limit reached 1024',
  'invalid JUMP': 'invalid jump destination',
  'invalid opcode': 'invalid opcode',
  'static state change': 'write protection',
  'create collision': 'contract address collision',
  'insufficient balance': 'insufficient balance for transfer',
  'invalid bytecode deployed': 'invalid code: must not begin with 0xef',
  'initcode exceeds max initcode size': 'max initcode size exceeded',
  'value overflow': 'gas uint64 overflow',
}

/**
 * geth's `callTracer` over ethereumjs' EVM events: a frame per message (beforeMessage/afterMessage), the call kind from
 * the opcode that opened it (a CALL inside a static context is still a CALL), logs from LOGn steps. Attach before the
 * tx runs, detach after; `result()` then gives the top frame with the tx-level gas figures, as geth reports them.
 */
export class CallTracer {
  private readonly stack: OpenFrame[] = []
  private top?: CallFrame
  private pendingOp?: string
  private readonly listeners: {
    beforeMessage: (message: Message, resolve?: () => void) => void
    afterMessage: (result: EVMResult) => void
    step: (step: InterpreterStep) => void
  }

  constructor(
    private readonly vm: VM,
    private readonly config: CallTracerConfig = {},
  ) {
    this.listeners = {
      // two arguments: the EVM awaits `resolve`, so a CREATE's address is derived before its frame runs
      beforeMessage: (message, resolve) => {
        const done = () => resolve?.()
        this.enter(message).then(done, done)
      },
      afterMessage: (result) => this.exit(result),
      step: (step) => this.step(step),
    }
  }

  attach(): this {
    const events = this.vm.evm.events!
    events.on('beforeMessage', this.listeners.beforeMessage)
    events.on('afterMessage', this.listeners.afterMessage)
    events.on('step', this.listeners.step)
    return this
  }

  detach(): void {
    const events = this.vm.evm.events!
    events.off('beforeMessage', this.listeners.beforeMessage)
    events.off('afterMessage', this.listeners.afterMessage)
    events.off('step', this.listeners.step)
  }

  /** The trace: the top frame, its gas the tx gas limit and its gasUsed the receipt's (geth OnTxEnd). */
  result(tx: { gas: bigint; gasUsed: bigint; from: Hex; to?: Hex; value: bigint; input: Hex }, failure?: string) {
    const top: CallFrame = this.top ?? {
      // no message ran: a deposit that failed before the EVM
      type: tx.to ? 'CALL' : 'CREATE',
      from: tx.from,
      ...(tx.to ? { to: tx.to } : {}),
      value: quantity(tx.value),
      gas: '0x0',
      gasUsed: '0x0',
      input: tx.input,
      ...(failure ? { error: failure } : {}),
    }
    return { ...top, gas: quantity(tx.gas), gasUsed: quantity(tx.gasUsed) }
  }

  private step(step: InterpreterStep): void {
    const name = step.opcode.name
    if (CALL_OPS.has(name)) {
      this.pendingOp = name
      return
    }
    if (!this.config.withLog || !name.startsWith('LOG')) return
    const frame = this.stack[this.stack.length - 1]
    if (!frame) return
    const topics = Number(name.slice(3))
    const stack = step.stack
    const at = (i: number) => stack[stack.length - 1 - i]!
    const offset = Number(at(0))
    const size = Number(at(1))
    const data = new Uint8Array(size)
    data.set(step.memory.subarray(offset, offset + size))
    frame.logs.push({
      address: bytesToHex(step.address.bytes),
      topics: Array.from({ length: topics }, (_, i) => bytesToHex(toWord(at(2 + i)))),
      data: bytesToHex(data),
      position: quantity(frame.calls.length),
    })
  }

  private async enter(message: Message): Promise<void> {
    const parent = this.stack[this.stack.length - 1]
    const op = message.depth === 0 ? undefined : this.pendingOp
    this.pendingOp = undefined
    const type = op ?? (message.to ? 'CALL' : 'CREATE')
    const created = message.to ? undefined : await this.createdAddress(message)
    const executing = created ?? (op === 'DELEGATECALL' || op === 'CALLCODE' ? parent!.executing : message.to!)
    const to = created ?? (op === 'DELEGATECALL' || op === 'CALLCODE' ? message.codeAddress : message.to!)
    const frame: CallFrame = {
      type,
      from: bytesToHex(parent ? parent.executing.bytes : message.caller.bytes),
      to: bytesToHex(to.bytes),
      ...(type === 'STATICCALL' ? {} : { value: quantity(message.value) }),
      gas: quantity(message.gasLimit),
      gasUsed: '0x0',
      input: bytesToHex(message.data),
    }
    this.stack.push({ frame, executing, logs: [], calls: [] })
  }

  private exit(result: EVMResult): void {
    const open = this.stack.pop()
    if (!open) return
    const { frame } = open
    const exec = result.execResult
    frame.gasUsed = quantity(exec.executionGasUsed)
    const error = exec.exceptionError?.error
    const output = bytesToHex(exec.returnValue)
    if (error === undefined) {
      if (output !== '0x') frame.output = output
    } else {
      frame.error = GETH_ERRORS[error] ?? error
      if (frame.type === 'CREATE' || frame.type === 'CREATE2') delete frame.to
      if (error === 'revert' && output !== '0x') {
        frame.output = output
        const reason = revertReason(output)
        if (reason !== undefined) frame.revertReason = reason
      }
    }
    // geth drops the logs of a failed frame and of everything under it
    if (error === undefined && open.logs.length > 0) frame.logs = open.logs
    if (open.calls.length > 0) frame.calls = error === undefined ? open.calls : open.calls.map(withoutLogs)
    const parent = this.stack[this.stack.length - 1]
    if (!parent) this.top = frame
    else if (!this.config.onlyTopCall) parent.calls.push(frame)
  }

  private async createdAddress(message: Message): Promise<Address> {
    // CREATE2 from the init code (the EVM sets `message.code` only after beforeMessage); CREATE from the creator's
    // nonce with the EVM's own side-effect-free derivation, which it runs right after beforeMessage
    if (message.salt) return new Address(generateAddress2(message.caller.bytes, message.salt, message.data))
    const evm = this.vm.evm as unknown as { _generateAddress(message: Message): Promise<Address> }
    return evm._generateAddress(message)
  }
}

function withoutLogs(frame: CallFrame): CallFrame {
  const { logs: _, calls, ...rest } = frame
  return calls ? { ...rest, calls: calls.map(withoutLogs) } : rest
}

function toWord(value: bigint): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 31; i >= 0 && value > 0n; i--, value >>= 8n) out[i] = Number(value & 0xffn)
  return out
}

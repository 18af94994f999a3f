import { describe, expect, test } from 'vitest'
import { batchInboxAddressFor } from './batch-inbox.js'
import {
  CHANNEL_TIMEOUT_GRANITE,
  channelTimeout,
  MAX_CHANNEL_BANK_SIZE_BEDROCK,
  MAX_CHANNEL_BANK_SIZE_FJORD,
  MAX_RLP_BYTES_PER_CHANNEL_BEDROCK,
  MAX_RLP_BYTES_PER_CHANNEL_FJORD,
  maxChannelBankSize,
  maxRlpBytesPerChannel,
  maxSequencerDrift,
} from './chain-spec.js'
import { BatchInboxAddressError } from './errors.js'
import { isForkActive } from './forks.js'

// Fjord at 1000, Granite at 2000, as op-node's TestActivations schedules forks one after the other.
const config = {
  forkTimes: { regolith: 0n, canyon: 0n, delta: 0n, ecotone: 0n, fjord: 1000n, granite: 2000n },
  maxSequencerDrift: 600n,
  channelTimeoutBedrock: 300n,
}

describe('isForkActive', () => {
  test('a fork is active from its activation time on, inclusive', () => {
    expect(isForkActive(config, 'fjord', 999n)).toBe(false)
    expect(isForkActive(config, 'fjord', 1000n)).toBe(true)
    expect(isForkActive(config, 'fjord', 1001)).toBe(true)
  })

  test('a fork that is not scheduled is never active', () => {
    expect(isForkActive({ forkTimes: { regolith: 0n } }, 'canyon', 2n ** 64n)).toBe(false)
  })

  test('a fork at genesis (time 0) is active at time 0', () => {
    expect(isForkActive(config, 'regolith', 0n)).toBe(true)
  })
})

describe('fork-dependent constants', () => {
  test('max sequencer drift is the config value before Fjord and 1800 from Fjord', () => {
    expect(maxSequencerDrift(config, 999n)).toBe(600n)
    expect(maxSequencerDrift(config, 1000n)).toBe(1800n)
  })

  test('channel timeout is the config value before Granite and 50 from Granite', () => {
    expect(channelTimeout(config, 1999n)).toBe(300n)
    expect(channelTimeout(config, 2000n)).toBe(CHANNEL_TIMEOUT_GRANITE)
    expect(CHANNEL_TIMEOUT_GRANITE).toBe(50n)
  })

  test('RLP bytes per channel: 10 MB before Fjord, 100 MB from Fjord', () => {
    expect(maxRlpBytesPerChannel(config, 999n)).toBe(MAX_RLP_BYTES_PER_CHANNEL_BEDROCK)
    expect(maxRlpBytesPerChannel(config, 1000n)).toBe(MAX_RLP_BYTES_PER_CHANNEL_FJORD)
    expect([MAX_RLP_BYTES_PER_CHANNEL_BEDROCK, MAX_RLP_BYTES_PER_CHANNEL_FJORD]).toEqual([10_000_000, 100_000_000])
  })

  test('channel bank size: 100 MB before Fjord, 1 GB from Fjord', () => {
    expect(maxChannelBankSize(config, 999n)).toBe(MAX_CHANNEL_BANK_SIZE_BEDROCK)
    expect(maxChannelBankSize(config, 1000n)).toBe(MAX_CHANNEL_BANK_SIZE_FJORD)
    expect([MAX_CHANNEL_BANK_SIZE_BEDROCK, MAX_CHANNEL_BANK_SIZE_FJORD]).toEqual([100_000_000, 1_000_000_000])
  })
})

describe('batchInboxAddressFor', () => {
  test('legacy form writes the decimal chain id after 0xff00… (OP Mainnet, Base, devnet 901)', () => {
    expect(batchInboxAddressFor(10, 'legacy')).toBe('0xFF00000000000000000000000000000000000010')
    expect(batchInboxAddressFor(8453, 'legacy')).toBe('0xFf00000000000000000000000000000000008453')
    expect(batchInboxAddressFor(901n, 'legacy').toLowerCase()).toBe('0xff00000000000000000000000000000000000901')
  })

  test('hashed form is 0x00 || keccak256(uint256(chainId))[:19] (superchain-registry chain 900 example)', () => {
    expect(batchInboxAddressFor(900, 'hashed')).toBe('0x0031e396976D1D09fBa39348dC2Bacc5EebA6be6')
  })

  test('a chain id with more than 38 decimal digits has no legacy inbox address', () => {
    expect(() => batchInboxAddressFor(10n ** 38n, 'legacy')).toThrow(BatchInboxAddressError)
    expect(batchInboxAddressFor(10n ** 38n - 1n, 'legacy')).toBe(`0xff${'9'.repeat(38)}`)
  })

  test('chain id 0 is refused', () => {
    expect(() => batchInboxAddressFor(0, 'hashed')).toThrow(BatchInboxAddressError)
  })
})

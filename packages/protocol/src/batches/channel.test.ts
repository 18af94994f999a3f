import fc from 'fast-check'
import type { Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { ChannelAssembler, ChannelFrameRejectedError } from './channel.js'
import { buildChannel, ChannelFramingError, splitIntoFrames } from './channel-out.js'
import { FRAME_OVERHEAD, type Frame } from './frame.js'

const id: Hex = `0xff${'00'.repeat(15)}`
const text = (s: string) => new TextEncoder().encode(s)
const frame = (number: number, data: string, isLast = false, channelId = id): Frame => ({
  channelId,
  number,
  data: text(data),
  isLast,
})

// op-node channel_test.go TestFrameValidity: which frames AddFrame refuses, and the channel size after each.
describe('channel assembly (op-node TestFrameValidity)', () => {
  test.each([
    { name: 'wrong channel', frames: [frame(0, '', false, `0xee${'00'.repeat(15)}`)], fails: [true], sizes: [0] },
    {
      name: 'double close',
      frames: [frame(2, 'four', true), frame(1, '', true)],
      fails: [false, true],
      sizes: [204, 204],
    },
    {
      name: 'duplicate frame',
      frames: [frame(2, 'four'), frame(2, 'seven__')],
      fails: [false, true],
      sizes: [204, 204],
    },
    {
      name: 'duplicate closing frames',
      frames: [frame(2, 'four', true), frame(2, 'seven__', true)],
      fails: [false, true],
      sizes: [204, 204],
    },
    {
      name: 'frame past closing',
      frames: [frame(2, 'four', true), frame(10, 'seven__')],
      fails: [false, true],
      sizes: [204, 204],
    },
    {
      name: 'prune after close frame',
      frames: [frame(10, 'seven__'), frame(2, 'four', true)],
      fails: [false, false],
      sizes: [207, 204],
    },
    {
      name: 'multiple valid frames',
      frames: [frame(10, 'seven__'), frame(2, 'four')],
      fails: [false, false],
      sizes: [207, 411],
    },
    { name: 'holocene non first', inOrder: true, frames: [frame(2, 'four')], fails: [true], sizes: [0] },
    {
      name: 'holocene out of order',
      inOrder: true,
      frames: [frame(0, 'four'), frame(2, 'seven__')],
      fails: [false, true],
      sizes: [204, 204],
    },
    {
      name: 'holocene in order',
      inOrder: true,
      frames: [frame(0, 'four'), frame(1, 'seven__'), frame(2, '2_', true)],
      fails: [false, false, false],
      sizes: [204, 411, 613],
    },
  ])('$name', ({ frames, fails, sizes, inOrder }) => {
    const channel = new ChannelAssembler(id, { requireInOrder: inOrder ?? false })
    frames.forEach((f, i) => {
      if (fails[i]) expect(() => channel.addFrame(f)).toThrow(ChannelFrameRejectedError)
      else channel.addFrame(f)
      expect(channel.size).toBe(sizes[i])
    })
  })

  test('a channel is ready once closed with every frame up to the last; data is in frame order', () => {
    const channel = new ChannelAssembler(id)
    channel.addFrame(frame(2, 'c', true))
    channel.addFrame(frame(0, 'a'))
    expect(channel.isReady).toBe(false)
    expect(() => channel.data()).toThrow(ChannelFrameRejectedError)
    channel.addFrame(frame(1, 'b'))
    expect(channel.isReady).toBe(true)
    expect(new TextDecoder().decode(channel.data())).toBe('abc')
  })
})

describe('framing', () => {
  test('frames never exceed the max size and reassemble to the compressed data in any arrival order', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 5000 }),
        fc.integer({ min: FRAME_OVERHEAD + 1, max: 600 }),
        fc.infiniteStream(fc.nat()),
        (data, maxFrameSize, random) => {
          const frames = splitIntoFrames(data, id, maxFrameSize)
          expect(frames.every((f) => FRAME_OVERHEAD + f.data.length <= maxFrameSize)).toBe(true)
          expect(frames.map((f) => f.isLast)).toEqual(frames.map((_, i) => i === frames.length - 1))
          const shuffled = [...frames].sort(() => (random.next().value % 3) - 1)
          const channel = new ChannelAssembler(id)
          for (const f of shuffled) channel.addFrame(f)
          expect(channel.data()).toEqual(data)
        },
      ),
      { numRuns: 2000 },
    )
  })

  test('a frame size without room for data is refused (ErrMaxFrameSizeTooSmall)', () => {
    expect(() => splitIntoFrames(Uint8Array.of(1), id, FRAME_OVERHEAD)).toThrow(ChannelFramingError)
  })

  test('brotli needs Fjord', () => {
    expect(() => buildChannel([], { channelId: id, compression: 'brotli', maxFrameSize: 1000, fjord: false })).toThrow(
      ChannelFramingError,
    )
  })
})

export * from './altda/index.js'
export * from './batches/index.js'
export * from './config/index.js'
// The fork constants live in config; batches re-exports its own copy for the channel codecs.
export {
  MAX_RLP_BYTES_PER_CHANNEL_BEDROCK,
  MAX_RLP_BYTES_PER_CHANNEL_FJORD,
  maxRlpBytesPerChannel,
} from './config/index.js'
export * from './deposits/index.js'
export { ProtocolError } from './errors.js'
export * from './genesis/index.js'
export * from './l1-info/index.js'
export * from './withdrawals/index.js'

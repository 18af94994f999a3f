/**
 * The protocol package's batch codecs (frames, channels, batches). They are not exported from `@opl/protocol`'s
 * index yet; once they are, this file becomes `export * from '@opl/protocol'` and nothing else changes.
 */
export * from '../../protocol/src/batches/index.js'

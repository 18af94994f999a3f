export { type AccessListItems, accessListToRlpItems, readRlpAccessList } from './access-list.js'
export { type BatchData, BatchTooShortError, decodeBatch, encodeBatch, UnknownBatchTypeError } from './batch.js'
export {
  type BatcherTxData,
  BatcherTxEmptyError,
  BatcherTxError,
  BatcherTxUnknownVersionError,
  DERIVATION_VERSION_0,
  DERIVATION_VERSION_1,
  encodeBatcherTxData,
  parseBatcherTxData,
  parseFrames,
} from './batcher-tx.js'
export { BitlistOverflowError, BitlistTruncatedError, decodeBitlist, encodeBitlist } from './bitlist.js'
export { CHANNEL_FRAME_SIZE_OVERHEAD, ChannelAssembler, ChannelFrameRejectedError } from './channel.js'
export {
  BrotliBeforeFjordError,
  CHANNEL_VERSION_BROTLI,
  ChannelCorruptError,
  ChannelEmptyError,
  ChannelError,
  type ChannelReadResult,
  ChannelRlpLimitError,
  ChannelTruncatedError,
  channelRlpLimit,
  detectCompression,
  readChannel,
  UnknownCompressionError,
} from './channel-in.js'
export {
  type BuiltChannel,
  buildChannel,
  type ChannelBuildOptions,
  ChannelFramingError,
  ChannelTooLargeError,
  compressChannel,
  DEFAULT_BROTLI_QUALITY,
  encodeChannelStream,
  MAX_FRAMES_PER_CHANNEL,
  splitIntoFrames,
} from './channel-out.js'
export {
  type BoundedDecompression,
  type CompressionAlgo,
  type DecompressionEnd,
  DecompressorUnavailableError,
  decompressBounded,
  ZlibHeaderError,
} from './decompress.js'
export {
  CHANNEL_ID_LENGTH,
  encodeFrame,
  FRAME_OVERHEAD,
  type Frame,
  FrameEncodeError,
  FrameError,
  FrameInvalidIsLastError,
  FrameTooLargeError,
  FrameTruncatedError,
  MAX_FRAME_DATA_LENGTH,
  parseFrame,
  writeFrame,
} from './frame.js'
export {
  RlpError,
  RlpIntegerOverflowError,
  RlpKindError,
  RlpNonCanonicalError,
  RlpShapeError,
  RlpTruncatedError,
} from './rlp.js'
export {
  ACCESS_LIST_TX_TYPE,
  DYNAMIC_FEE_TX_TYPE,
  decodeSignedTx,
  encodeSignedTx,
  LEGACY_TX_TYPE,
  type SignedAccessListTx,
  type SignedDynamicFeeTx,
  type SignedLegacyTx,
  type SignedTx,
  TypedTxTooShortError,
  UnsupportedTxTypeError,
} from './signed-tx.js'
export {
  decodeSingularBatchContent,
  encodeSingularBatchContent,
  SINGULAR_BATCH_TYPE,
  type SingularBatch,
  SingularBatchEncodeError,
} from './singular-batch.js'
export {
  decodeRawSpanBatchContent,
  deriveSpanBatch,
  encodeRawSpanBatchContent,
  type RawSpanBatch,
  SPAN_BATCH_TYPE,
  type SpanBatch,
  type SpanBatchDeriveOptions,
  type SpanBatchElement,
} from './span-batch.js'
export {
  type SingularToSpanOptions,
  singularBatchesToSpanBatch,
  spanBatchToSingularBatches,
  type UnparentedSingularBatch,
} from './span-batch-convert.js'
export {
  SpanBatchChainIdMismatchError,
  SpanBatchEmptyError,
  SpanBatchEncodeError,
  SpanBatchError,
  SpanBatchInvalidTxTypeError,
  SpanBatchMissingOriginError,
  SpanBatchSignatureError,
  SpanBatchTooBigError,
  SpanBatchTruncatedError,
  SpanBatchTxDataKindError,
} from './span-batch-errors.js'
export {
  decodeSpanBatchTxData,
  encodeSpanBatchTxData,
  MAX_SPAN_BATCH_ELEMENT_COUNT,
  readSpanBatchTxData,
  type SpanBatchTxData,
} from './span-batch-tx.js'
export {
  appendSpanBatchTxs,
  decodeSpanBatchTxs,
  emptySpanBatchTxs,
  encodeSpanBatchTxs,
  type SpanBatchTxs,
  spanBatchTxsToRawTxs,
} from './span-batch-txs.js'
export {
  decodeUvarint,
  encodeUvarint,
  MAX_UVARINT_LENGTH,
  UvarintOverflowError,
  UvarintTruncatedError,
} from './uvarint.js'

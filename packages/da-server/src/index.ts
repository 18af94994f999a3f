export { DaServerConfig, type DaServerConfigInput, DEFAULT_MAX_BLOB_SIZE_BYTES } from './config.js'
export { type CommitmentMode, DaService, type DaServiceStats } from './da-service.js'
export { DiskStore, type DiskStoreOptions, type StoredBlob } from './disk-store.js'
export {
  BadRequestError,
  BlobNotFoundError,
  CertVerificationError,
  CorruptBlobError,
  DaServerError,
  FailoverError,
} from './errors.js'
export { formatGoDuration, parseGoDuration } from './go-duration.js'
export { type DaServer, startDaServer } from './http-server.js'
export { type MemstoreConfigJson, memstoreConfigJson, type RuntimeConfig } from './memstore-config.js'

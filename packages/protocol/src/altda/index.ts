export {
  type AltDaCommitment,
  commitmentFromHex,
  commitmentToHex,
  decodeCommitment,
  encodeCommitment,
  GENERIC_COMMITMENT_TYPE,
  type GenericCommitment,
  KECCAK_COMMITMENT_TYPE,
  type KeccakCommitment,
} from './commitment.js'
export {
  DEV_CERT_FORMAT_VERSION,
  DEV_CERT_LENGTH,
  DEV_CERT_MAGIC,
  DEV_CERT_VERSION,
  type DevCert,
  decodeDevCert,
  devCertCommitment,
  devCertFor,
  encodeDevCert,
  verifyDevCert,
} from './dev-cert.js'
export {
  decodeEigenDaCommitment,
  EIGENDA_DA_LAYER,
  type EigenDaCert,
  type EigenDaCertVersion,
  eigenDaCertVersions,
  eigenDaCommitment,
} from './eigenda.js'
export {
  CommitmentHexError,
  CommitmentLengthError,
  CommitmentMismatchError,
  DevCertError,
  DevCertMismatchError,
  EmptyCommitmentError,
  NotEigenDaCommitmentError,
  TxDataVersionError,
  UnknownCertVersionError,
  UnknownCommitmentTypeError,
} from './errors.js'
export { keccakCommitment, MAX_KECCAK_INPUT_SIZE, verifyKeccakCommitment } from './keccak-commitment.js'
export { ALT_DA_TX_DATA_VERSION, decodeCommitmentTxData, encodeCommitmentTxData } from './tx-data.js'

import type { GenericCommitment } from './commitment.js'
import { CommitmentLengthError, NotEigenDaCommitmentError, UnknownCertVersionError } from './errors.js'

/** da_layer byte of EigenDA in OP generic commitments (specs `experimental/alt-da.md`). */
export const EIGENDA_DA_LAYER = 0x00

/**
 * eigenda-proxy's cert version byte: 0x00 = EigenDA V1 cert (RLP BlobInfo), 0x01 = V2 cert, 0x02 = the newer core cert
 * type the proxy maps to "V3". On L1 the full form is `0x01 (tx data) 0x01 (generic) 0x00 (EigenDA) <version> <cert>`.
 */
export const eigenDaCertVersions = { v1: 0x00, v2: 0x01, v3: 0x02 } as const

export type EigenDaCertVersion = (typeof eigenDaCertVersions)[keyof typeof eigenDaCertVersions]

export type EigenDaCert = { certVersion: EigenDaCertVersion; cert: Uint8Array }

function isCertVersion(byte: number): byte is EigenDaCertVersion {
  return byte === 0x00 || byte === 0x01 || byte === 0x02
}

/** The generic commitment eigenda-proxy returns for a cert: payload = version byte || serialized cert. */
export function eigenDaCommitment({ certVersion, cert }: EigenDaCert): GenericCommitment {
  if (!isCertVersion(certVersion)) throw new UnknownCertVersionError('unknown EigenDA cert version', { certVersion })
  if (cert.length === 0) throw new CommitmentLengthError('EigenDA cert is empty', { length: 0 })
  const payload = new Uint8Array(1 + cert.length)
  payload[0] = certVersion
  payload.set(cert, 1)
  return { type: 'generic', daLayer: EIGENDA_DA_LAYER, payload }
}

/** Splits an EigenDA generic commitment into cert version and cert; the cert itself stays opaque here. */
export function decodeEigenDaCommitment(commitment: GenericCommitment): EigenDaCert {
  if (commitment.daLayer !== EIGENDA_DA_LAYER) {
    throw new NotEigenDaCommitmentError('generic commitment is not for EigenDA', { daLayer: commitment.daLayer })
  }
  const { payload } = commitment
  if (payload.length === 0) throw new CommitmentLengthError('EigenDA commitment has no cert version', { length: 0 })
  const certVersion = payload[0] as number
  if (!isCertVersion(certVersion)) throw new UnknownCertVersionError('unknown EigenDA cert version', { certVersion })
  if (payload.length === 1) throw new CommitmentLengthError('EigenDA commitment has an empty cert', { length: 0 })
  return { certVersion, cert: payload.slice(1) }
}

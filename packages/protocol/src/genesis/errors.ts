import { ProtocolError } from '../errors.js'

/** The genesis input is unusable: a missing artifact, an unknown storage label, a bad immutable reference. */
export class GenesisError extends ProtocolError {
  override name = 'GenesisError'
}

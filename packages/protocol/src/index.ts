export { ProtocolError } from './errors.js'

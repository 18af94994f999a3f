export * from './altda/index.js'
export * from './config/index.js'
export { ProtocolError } from './errors.js'
export * from './withdrawals/index.js'

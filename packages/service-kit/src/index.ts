export {
  addressField,
  boolField,
  intField,
  LOG_LEVELS,
  logConfigFields,
  portField,
  serverConfigFields,
} from './config-fields.js'
export { addConfigFlags, flagOf } from './config-flags.js'
export { DEV_MNEMONIC, DEVNET_ATTESTOR_INDEX, devAddress, devnetAttestorKey, devPrivateKey } from './dev-keys.js'
export { envNameOf, readFlagsAndEnv } from './flags.js'
export { nativeSigningAccount } from './native-account.js'
export { keccak256 } from './native-keccak.js'
export {
  type Health,
  type JsonReply,
  type OpsServer,
  type OpsServerOptions,
  type Route,
  startOpsServer,
} from './ops-server.js'
export { type ParseConfigOptions, parseConfigOrExit } from './parse-config.js'
export { type LoopStats, PollLoop, type PollLoopOptions } from './poll-loop.js'
export { onShutdown } from './shutdown.js'

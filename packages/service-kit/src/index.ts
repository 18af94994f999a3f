export { envNameOf, readFlagsAndEnv } from './flags.js'
export {
  type Health,
  type JsonReply,
  type OpsServer,
  type OpsServerOptions,
  type Route,
  startOpsServer,
} from './ops-server.js'
export { onShutdown } from './shutdown.js'

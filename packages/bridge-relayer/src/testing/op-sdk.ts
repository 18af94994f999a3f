/**
 * `@eth-optimism/sdk` 3.3.3 and the ethers v5 it is written against, for the bridge end-to-end tests. They are dev
 * dependencies of this package, not of the workspace root, because the root's `ethers` is v6 and pnpm resolves the
 * SDK's `ethers` peer from the package that depends on it.
 */
export {
  CrossChainMessenger,
  ETHBridgeAdapter,
  MessageStatus,
  StandardBridgeAdapter,
} from '@eth-optimism/sdk'
export { ethers } from 'ethers'

import {
  type AccountOverride,
  ContractDecoder,
  EdrContext,
  MineOrdering,
  OP_CHAIN_TYPE,
  opGenesisState,
  opHardforkFromString,
  opProviderFactory,
  type Provider,
} from '@nomicfoundation/edr'
import { type Address, type Hex, hexToBytes } from 'viem'

/**
 * EDR (revm) driven as an OP dev node: the differential reference for the engine. Only the dev-node path exists
 * (eth_sendRawTransaction with automine off, then evm_mine), see docs/evm-engines.md Item 4.
 */
export type EdrReferenceOptions = {
  chainId: bigint
  /** EDR's OP hardfork string, e.g. `granite` */
  hardfork: string
  coinbase: Address
  genesisTimestamp: bigint
  genesisGasLimit: bigint
  initialBaseFeePerGas: bigint
  eip1559: { elasticity: bigint; denominator: bigint }
  /** accounts added to (or replacing) EDR's own OP predeploy genesis */
  accounts: AccountOverride[]
  /** include EDR's opGenesisState(hardfork) predeploys */
  withPredeploys: boolean
}

let context: EdrContext | undefined
async function edrContext(): Promise<EdrContext> {
  if (context) return context
  context = new EdrContext()
  await context.registerProviderFactory(OP_CHAIN_TYPE, opProviderFactory())
  return context
}

export class EdrRpcError extends Error {
  override name = 'EdrRpcError'
  constructor(
    message: string,
    readonly details: { method: string; code?: number; data?: unknown },
  ) {
    super(message)
  }
}

export type EdrReference = {
  request<T = unknown>(method: string, params?: unknown[]): Promise<T>
  predeploys: AccountOverride[]
}

export function edrPredeploys(hardfork: string): AccountOverride[] {
  return opGenesisState(opHardforkFromString(hardfork))
}

export async function createEdrReference(options: EdrReferenceOptions): Promise<EdrReference> {
  const ctx = await edrContext()
  const predeploys = options.withPredeploys ? edrPredeploys(options.hardfork) : []
  const byAddress = new Map<string, AccountOverride>()
  for (const account of [...predeploys, ...options.accounts]) {
    byAddress.set(Buffer.from(account.address).toString('hex'), account)
  }
  const provider: Provider = await ctx.createProvider(
    OP_CHAIN_TYPE,
    {
      allowBlocksWithSameTimestamp: false,
      allowUnlimitedContractSize: false,
      bailOnCallFailure: false,
      bailOnTransactionFailure: false,
      baseFeeConfig: [
        {
          activation: { blockNumber: 0n },
          maxChangeDenominator: options.eip1559.denominator,
          elasticityMultiplier: options.eip1559.elasticity,
        },
      ],
      chainId: options.chainId,
      coinbase: hexToBytes(options.coinbase),
      defaultTransactionGasLimit: 1_000_000n,
      genesisState: [...byAddress.values()],
      hardfork: options.hardfork,
      initialBaseFeePerGas: options.initialBaseFeePerGas,
      minGasPrice: 0n,
      mining: { autoMine: false, blockGasLimit: options.genesisGasLimit, memPool: { order: MineOrdering.Fifo } },
      network: { genesisBlockGasLimit: options.genesisGasLimit, genesisBlockTime: options.genesisTimestamp },
      networkId: options.chainId,
      observability: {},
      ownedAccounts: [],
      precompileOverrides: [],
    },
    { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} },
    { subscriptionCallback: () => {} },
    new ContractDecoder(),
  )
  let id = 0
  return {
    predeploys,
    async request<T>(method: string, params: unknown[] = []): Promise<T> {
      const response = await provider.handleRequest(JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }))
      const data = typeof response.data === 'string' ? JSON.parse(response.data) : response.data
      if (data.error) {
        throw new EdrRpcError(`${method}: ${data.error.message}`, {
          method,
          code: data.error.code,
          data: data.error.data,
        })
      }
      return data.result as T
    },
  }
}

export type RpcBlock = {
  number: Hex
  hash: Hex
  stateRoot: Hex
  receiptsRoot: Hex
  transactionsRoot: Hex
  logsBloom: Hex
  gasUsed: Hex
  gasLimit: Hex
  baseFeePerGas: Hex
  timestamp: Hex
  mixHash: Hex
  parentBeaconBlockRoot?: Hex
  withdrawalsRoot?: Hex
  extraData: Hex
  miner: Address
  transactions: Hex[]
}

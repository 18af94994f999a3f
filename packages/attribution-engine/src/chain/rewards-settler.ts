import type { Logger } from 'pino'
import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from 'viem'
import type { EpochSettlement, SettlementReceipt, Settler } from '../settlement/settler.js'
import { attributionRewardsAbi, SETTLEMENT_STATUS } from './abis.js'
import {
  EpochAlreadySettledError,
  NotBondedAttestorError,
  SettlementRevertedError,
  TotalsMismatchError,
} from './errors.js'
import type { SettledStore } from './settled-store.js'

export type SettlementInput = {
  epoch: bigint
  rewardsRoot: Hex
  inferencesRoot: Hex
  totalAmount: bigint
  inferenceCount: bigint
  leafCount: number
}

export type AttestorWallet = WalletClient<Transport, Chain | undefined, Account>

export type RewardsSettlerOptions = {
  client: PublicClient
  rewards: Address
  /** the attestor: holds ATTESTOR_ROLE and a bond; signs (and in `direct` mode sends) the settlement */
  attestor: AttestorWallet
  /**
   * `direct`: the attestor calls `settle`. `signature`: the attestor signs the EIP-712 Settlement and `relayer`
   * (another funded account, or the attestor) sends `settleWithSignature`, so the key that attests need not
   * hold gas.
   */
  mode?: 'direct' | 'signature'
  relayer?: AttestorWallet
  store: SettledStore
  log?: Logger
}

/** The EIP-712 types of AttributionRewards.SETTLEMENT_TYPEHASH. */
export const SETTLEMENT_TYPES = {
  Settlement: [
    { name: 'epoch', type: 'uint64' },
    { name: 'attempt', type: 'uint32' },
    { name: 'rewardsRoot', type: 'bytes32' },
    { name: 'inferencesRoot', type: 'bytes32' },
    { name: 'totalAmount', type: 'uint256' },
    { name: 'inferenceCount', type: 'uint64' },
    { name: 'leafCount', type: 'uint32' },
  ],
} as const

/**
 * Posts an epoch's settlement to AttributionRewards as the attestor. Before sending it checks what the contract
 * would refuse (totals ≠ escrow, inference count, bond) so the error names the cause; after the receipt it
 * stores the epoch (roots, proofs, tx) on disk. Posting is idempotent: an epoch already carrying these roots on
 * chain (a restart after the tx was mined) is stored and reported, not sent again.
 */
export class RewardsSettler implements Settler {
  constructor(private readonly options: RewardsSettlerOptions) {}

  get attestor(): Address {
    return this.options.attestor.account.address
  }

  async settle(s: EpochSettlement): Promise<SettlementReceipt> {
    const { client, rewards, log } = this.options
    const epoch = BigInt(s.epoch)
    const input: SettlementInput = {
      epoch,
      rewardsRoot: s.claimsRoot,
      inferencesRoot: s.recordsRoot,
      totalAmount: BigInt(s.totalClaims),
      inferenceCount: BigInt(s.inferences),
      leafCount: s.claims.length,
    }
    const [escrow, existing] = await Promise.all([
      client.readContract({ address: rewards, abi: attributionRewardsAbi, functionName: 'getEscrow', args: [epoch] }),
      client.readContract({
        address: rewards,
        abi: attributionRewardsAbi,
        functionName: 'getSettlement',
        args: [epoch],
      }),
    ])
    if (existing.status !== SETTLEMENT_STATUS.none) {
      if (existing.rewardsRoot !== input.rewardsRoot || existing.inferencesRoot !== input.inferencesRoot)
        throw new EpochAlreadySettledError('the epoch carries another settlement on chain', {
          epoch: s.epoch,
          onChain: existing.rewardsRoot,
          ours: input.rewardsRoot,
        })
      log?.warn({ epoch: s.epoch }, 'epoch already settled with these roots: recording it')
      return this.record(s, await this.findSettledTx(epoch), existing.attestor)
    }
    if (input.totalAmount !== escrow.contributors || input.inferenceCount !== escrow.inferenceCount)
      throw new TotalsMismatchError('settlement totals differ from the on-chain escrow', {
        epoch: s.epoch,
        totalAmount: input.totalAmount.toString(),
        escrowed: escrow.contributors.toString(),
        inferenceCount: input.inferenceCount.toString(),
        paidInferences: escrow.inferenceCount.toString(),
      })
    const attestor = this.options.attestor.account.address
    const bonded = await client.readContract({
      address: rewards,
      abi: attributionRewardsAbi,
      functionName: 'isBondedAttestor',
      args: [attestor],
    })
    if (!bonded) throw new NotBondedAttestorError('the attestor lacks ATTESTOR_ROLE or bond', { attestor })

    const hash = await this.send(input, escrow.attempt)
    const receipt = await client.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success')
      throw new SettlementRevertedError('settlement transaction reverted', { epoch: s.epoch, txHash: hash })
    log?.info({ epoch: s.epoch, txHash: hash, total: s.totalClaims, leaves: input.leafCount }, 'epoch settled on chain')
    return this.record(s, { hash, blockNumber: receipt.blockNumber }, attestor)
  }

  /** The attestor's EIP-712 signature over the settlement at the epoch's current attempt number. */
  async sign(input: SettlementInput, attempt: number): Promise<Hex> {
    const { client, rewards, attestor } = this.options
    const [, name, version, chainId, verifyingContract] = await client.readContract({
      address: rewards,
      abi: attributionRewardsAbi,
      functionName: 'eip712Domain',
    })
    return attestor.signTypedData({
      account: attestor.account,
      domain: { name, version, chainId, verifyingContract },
      types: SETTLEMENT_TYPES,
      primaryType: 'Settlement',
      message: { ...input, attempt },
    })
  }

  private async send(input: SettlementInput, attempt: number): Promise<Hex> {
    const { client, rewards, attestor } = this.options
    if ((this.options.mode ?? 'direct') === 'direct') {
      // simulate first: a revert surfaces with the contract's decoded error instead of a bare failed receipt
      const { request } = await client.simulateContract({
        address: rewards,
        abi: attributionRewardsAbi,
        functionName: 'settle',
        args: [input],
        account: attestor.account,
      })
      return attestor.writeContract(request)
    }
    const relayer = this.options.relayer ?? attestor
    const signature = await this.sign(input, attempt)
    const { request } = await client.simulateContract({
      address: rewards,
      abi: attributionRewardsAbi,
      functionName: 'settleWithSignature',
      args: [input, attestor.account.address, signature],
      account: relayer.account,
    })
    return relayer.writeContract(request)
  }

  private async findSettledTx(epoch: bigint): Promise<{ hash: Hex; blockNumber: bigint }> {
    const logs = await this.options.client.getContractEvents({
      address: this.options.rewards,
      abi: attributionRewardsAbi,
      eventName: 'Settled',
      args: { epoch },
      fromBlock: 0n,
      strict: true,
    })
    const last = logs.at(-1)
    return { hash: last?.transactionHash ?? '0x', blockNumber: last?.blockNumber ?? 0n }
  }

  private async record(
    s: EpochSettlement,
    tx: { hash: Hex; blockNumber: bigint },
    attestor: Address,
  ): Promise<SettlementReceipt> {
    const settledAt = new Date().toISOString()
    await this.options.store.save({
      ...s,
      txHash: tx.hash,
      blockNumber: tx.blockNumber.toString(),
      attestor,
      settledAt,
    })
    return { epoch: s.epoch, txHash: tx.hash, settledAt }
  }
}

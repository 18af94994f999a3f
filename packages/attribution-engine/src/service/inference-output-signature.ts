import {
  type Address,
  type Hex,
  keccak256,
  type LocalAccount,
  recoverTypedDataAddress,
  type TypedDataDomain,
  toBytes,
} from 'viem'

/**
 * The typed message a model owner signs to claim an inference's output: it binds the on-chain inference id to the
 * keccak256 of the output's UTF-8 bytes (the `outputHash` every attribution result carries).
 */
export const INFERENCE_OUTPUT_TYPES = {
  InferenceOutput: [
    { name: 'inferenceId', type: 'uint256' },
    { name: 'outputHash', type: 'bytes32' },
  ],
} as const

/**
 * AttributionRewards' own EIP-712 name and version (`EIP712("OpenLedger AttributionRewards", "1")`): with the L2
 * chain id and the contract as verifyingContract, a signature is good for one deployment on one chain only.
 */
export function inferenceOutputDomain(args: { chainId: number; rewards: Address }): TypedDataDomain {
  return { name: 'OpenLedger AttributionRewards', version: '1', chainId: args.chainId, verifyingContract: args.rewards }
}

export type InferenceOutputMessage = {
  /** the L2 chain id */
  chainId: number
  /** the AttributionRewards address */
  rewards: Address
  /** the id from the payment's InferencePaid */
  inferenceId: bigint
  /** the model's output, exactly as posted to `POST /v1/attributions` */
  output: string
}

const typedData = (m: InferenceOutputMessage) => ({
  domain: inferenceOutputDomain(m),
  types: INFERENCE_OUTPUT_TYPES,
  primaryType: 'InferenceOutput' as const,
  message: { inferenceId: m.inferenceId, outputHash: keccak256(toBytes(m.output)) },
})

/**
 * The model owner's signature over `InferenceOutput(inferenceId, keccak256(output))`, which chain-mode
 * `POST /v1/attributions` requires as `signature`. `signer`: a viem local account (privateKeyToAccount, mnemonic,
 * HD) of the model's owner.
 */
export function signInferenceOutput(
  signer: Pick<LocalAccount, 'signTypedData'>,
  message: InferenceOutputMessage,
): Promise<Hex> {
  return signer.signTypedData(typedData(message))
}

/** Who signed `signature` over the message (throws on a malformed signature). */
export function recoverInferenceOutputSigner(message: InferenceOutputMessage, signature: Hex): Promise<Address> {
  return recoverTypedDataAddress({ ...typedData(message), signature })
}

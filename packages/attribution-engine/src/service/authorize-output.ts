import { type Address, getAddress, type Hex } from 'viem'
import { OutputSignatureRequiredError, OutputSignerNotModelOwnerError } from '../chain/errors.js'
import type { ChainFacts } from './chain-facts.js'
import { recoverInferenceOutputSigner } from './inference-output-signature.js'

/**
 * Chain mode: only the owner of the paid inference's model (ModelRegistry, at the payment block) may post its
 * output. Whoever posts first books the contributors' share, so an unsigned post would let anyone front-run the
 * operator with an output quoting their own contributions. The returned check (ChainHooks.authorize) throws
 * OutputSignatureRequiredError (missing / unrecoverable) or OutputSignerNotModelOwnerError.
 */
export function createOutputAuthorizer(args: {
  facts: ChainFacts
  chainId: number
  rewards: Address
}): (inferenceId: bigint, output: string, signature: Hex | undefined) => Promise<void> {
  const { facts, chainId, rewards } = args
  return async (inferenceId, output, signature) => {
    const id = inferenceId.toString()
    if (!signature)
      throw new OutputSignatureRequiredError(
        "chain mode: send `signature`, the model owner's EIP-712 InferenceOutput signature (signInferenceOutput)",
        { inferenceId: id },
      )
    const paid = await facts.paidInference(inferenceId)
    const owner = getAddress(await facts.modelOwner(paid.modelId, paid.blockNumber))
    let signer: Address
    try {
      signer = await recoverInferenceOutputSigner({ chainId, rewards, inferenceId, output }, signature)
    } catch {
      throw new OutputSignatureRequiredError('the signature does not recover to any address', { inferenceId: id })
    }
    if (signer !== owner)
      throw new OutputSignerNotModelOwnerError('the output is not signed by the owner of the inference model', {
        inferenceId: id,
        modelId: paid.modelId.toString(),
        signer,
        owner,
      })
  }
}

import type { Address, PublicClient } from 'viem'
import { modelRegistryAbi } from './abis.js'
import { UnknownModelKindError } from './errors.js'

/** ModelRegistry's ModelKind, by its on-chain value: the attribution method a model's inferences get. */
export const MODEL_KIND = ['large', 'small'] as const
/** `large`: span matching against the Datanets (the span scorer); `small`: gradient influence (TracIn). */
export type ModelKind = (typeof MODEL_KIND)[number]

/**
 * The kind the model was registered with, which picks its scorer. It never changes after registration, so callers
 * may cache it per model id. Reverts (UnknownModel) for an id that was never registered.
 */
export async function readModelKind(client: PublicClient, models: Address, modelId: bigint): Promise<ModelKind> {
  const kind = await client.readContract({
    address: models,
    abi: modelRegistryAbi,
    functionName: 'kindOf',
    args: [modelId],
  })
  const name = MODEL_KIND[kind]
  // A kind this engine does not know (a newer registry) must not silently fall back to one it does.
  if (!name) throw new UnknownModelKindError('model kind not supported by this engine', { modelId, kind })
  return name
}

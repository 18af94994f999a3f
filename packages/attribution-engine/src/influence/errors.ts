import { AttributionError } from '../errors.js'

/** The influence scorer was asked to score before a model was trained, or with a model the workers do not hold. */
export class ModelNotReadyError extends AttributionError {
  override name = 'ModelNotReadyError'
}

/** The per-contribution gradient store would exceed its memory budget: fewer checkpoints, a smaller model. */
export class GradientBudgetError extends AttributionError {
  override name = 'GradientBudgetError'
}

/** There is nothing to train on: no contribution has an accepted row. */
export class EmptyTrainingSetError extends AttributionError {
  override name = 'EmptyTrainingSetError'
}

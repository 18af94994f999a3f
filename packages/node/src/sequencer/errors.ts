/** admin_startSequencer / admin_stopSequencer called in the wrong state; messages are op-node's. */
export class SequencerStateError extends Error {
  override name = 'SequencerStateError'
}

import { AttributionError } from '../errors.js'

/** The bounded queue is full: back off and retry (HTTP 503). */
export class QueueFullError extends AttributionError {
  override name = 'QueueFullError'
}
/** The task did not finish within its timeout; its worker was replaced. */
export class TaskTimeoutError extends AttributionError {
  override name = 'TaskTimeoutError'
}
/** The caller aborted the task. */
export class TaskAbortedError extends AttributionError {
  override name = 'TaskAbortedError'
}
/** The task's worker died twice (first run and its one retry). */
export class WorkerCrashedError extends AttributionError {
  override name = 'WorkerCrashedError'
}
/** The task threw inside the worker; not retried, the same input would throw again. */
export class TaskFailedError extends AttributionError {
  override name = 'TaskFailedError'
}
/** The pool is closed. */
export class PoolClosedError extends AttributionError {
  override name = 'PoolClosedError'
}

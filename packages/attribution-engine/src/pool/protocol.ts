/** Messages between the pool and its workers. */
export type ToWorker<T> =
  | { type: 'task'; id: number; task: T }
  | { type: 'shared'; key: string; value: unknown }
  | { type: 'unshare'; key: string }

export type FromWorker =
  | { type: 'ready' }
  | { type: 'started'; id: number }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; name: string; message: string }

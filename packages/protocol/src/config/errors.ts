import { ProtocolError } from '../errors.js'

export type RollupConfigIssue = { path: string; message: string }

/** rollup.json failed validation; `details.issues` lists every bad field as `{ path, message }`. */
export class RollupConfigError extends ProtocolError {
  override name = 'RollupConfigError'
  declare readonly details: { issues: RollupConfigIssue[] }

  constructor(issues: RollupConfigIssue[]) {
    super(`invalid rollup config:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`, {
      issues,
    })
  }
}

/** A config value cannot be written in op-node's JSON shape (a uint64 above what a JSON number holds exactly). */
export class RollupConfigSerializeError extends ProtocolError {
  override name = 'RollupConfigSerializeError'
}

/** A chain id that does not fit the chosen batch inbox address convention. */
export class BatchInboxAddressError extends ProtocolError {
  override name = 'BatchInboxAddressError'
}

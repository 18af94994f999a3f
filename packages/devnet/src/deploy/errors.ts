/** The L1 deploy could not proceed; `details.field` names the config field to fix when there is one. */
export class DeployError extends Error {
  override name = 'DeployError'
  readonly details: Record<string, unknown>
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.details = details
  }
}

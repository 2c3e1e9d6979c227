/** An AWS error the emulator answers with (HTTP 400 unless `status` says otherwise). */
export class SsmServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'SsmServiceError';
  }
}

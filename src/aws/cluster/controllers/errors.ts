/** A controller option plinth cannot honour, with a stable code, the offending value and the fix. */
export class ControllerConfigError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'ControllerConfigError';
  }
}

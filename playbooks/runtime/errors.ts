/** A plan the runtime cannot follow (or a value it must not produce): refused with a code, never half-applied. */
export class RuntimeError extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}

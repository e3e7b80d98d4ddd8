/** A mistake in what the admin typed: printed as it is, exit 2 (or the given code), nothing changed. */
export class CliUsageError extends Error {
  constructor(message: string, public readonly exitCode = 2) {
    super(message);
  }
}

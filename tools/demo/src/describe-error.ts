/**
 * One readable line for any thrown value. Node's happy-eyeballs connect (e.g. to
 * "localhost") fails with an AggregateError whose own message is empty, so the inner
 * errors are what tell the user why a server did not answer.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return error.message || code || error.name;
  }
  return String(error);
}

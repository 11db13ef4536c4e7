/** A mistake the person at the terminal can fix: printed as one sentence without a stack, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

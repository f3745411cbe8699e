/** A broken invariant: a bug in Jinku, never a client's mistake. Rendered as a 500 and logged loudly. */
export class AssertionFailed extends Error {
  override name = 'AssertionFailed';
}

/** Crashes the request when `condition` is false (TigerStyle: assertions catch programmer errors). */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailed(message);
}

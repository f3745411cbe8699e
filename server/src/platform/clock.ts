/**
 * The one source of time for services. Production uses the system clock; outside production the dev
 * clock route (`POST /api/v1/dev/clock`) moves an offset forward so tests can reach expiries and
 * daily limits. The offset lives in the database (see platform/dev-clock.ts) so every server instance
 * agrees; this object caches it.
 */
export type Clock = {
  /** Milliseconds since the epoch. */
  nowMs(): number;
  /** Adds to the offset (tests and the dev route only). */
  advance(ms: number): void;
  /** Sets the offset, e.g. when another instance moved it. */
  setOffset(ms: number): void;
  offsetMs(): number;
};

/** A clock reading the system time plus an adjustable offset. */
export function systemClock(): Clock {
  let offset = 0;
  return {
    nowMs: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
    setOffset: (ms) => {
      offset = ms;
    },
    offsetMs: () => offset,
  };
}

/** RFC 3339 UTC for the wire. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

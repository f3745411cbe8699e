import { useEffect, useState } from 'react';

/**
 * Seconds left of a countdown from `seconds`, ticking once a second (from the wall clock, so a throttled
 * background tab does not fall behind). It starts again when `seconds` or `restartKey` changes: pass a
 * value that changes with each new code sent.
 */
export function useCountdown(seconds: number, restartKey?: unknown): number {
  const [left, setLeft] = useState(seconds);
  // biome-ignore lint/correctness/useExhaustiveDependencies: restartKey restarts the countdown on purpose.
  useEffect(() => {
    setLeft(seconds);
    if (seconds <= 0) return;
    const startedAtMs = Date.now();
    const timer = window.setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - startedAtMs) / 1000));
      setLeft(remaining);
      if (remaining === 0) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [seconds, restartKey]);
  return left;
}

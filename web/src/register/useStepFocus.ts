import { useEffect, useRef } from 'react';

/**
 * Moves the keyboard focus to the new step's heading whenever a wizard moves on, so that a screen reader
 * reads where the customer now is and Tab continues from there. The first step keeps the page's focus.
 */
export function useStepFocus(step: string) {
  const ref = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new step is what moves the focus.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
  }, [step]);
  return ref;
}

import { useEffect, useRef, useState } from 'react';

/** The props a CodeField takes from useCodeEntry. */
export type CodeEntryField = ReturnType<typeof useCodeEntry>['field'];

/**
 * One code field's state: the code, its inline message, and the cursor put back where the customer has
 * to type next (on arrival, after an empty submit, after a refused code).
 */
export function useCodeEntry() {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);

  /** The trimmed code; or undefined, after saying `missing` beside the empty field. */
  function answer(missing: string): string | undefined {
    const trimmed = code.trim();
    setError(trimmed ? undefined : missing);
    if (!trimmed) ref.current?.focus();
    return trimmed || undefined;
  }

  /** Empties the field for another try, with `message` beside it if given. */
  function retry(message?: string) {
    setCode('');
    setError(message);
    ref.current?.focus();
  }

  return { field: { ref, value: code, onChange: setCode, error }, answer, retry };
}

import { useEffect, useRef } from 'react';

/**
 * Esc runs `handler` while the calling component is shown, before the console's own Esc (which closes the
 * operation or the inbox). The innermost step registers first and wins: its listener stops the others.
 */
export function useEscape(handler: () => void) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      latest.current();
    }
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}

import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { lastApiActivityMs, onApiActivity } from '../api/client';
import { Button } from '../ui/Button';
import { WarningIcon } from '../ui/icons';

/** The warning shows this long before the server's staff idle timeout runs out. */
const WARN_BEFORE_SECONDS = 60;

function secondsLeft(timeoutSeconds: number): number {
  return Math.max(0, Math.ceil(timeoutSeconds - (Date.now() - lastApiActivityMs()) / 1000));
}

type Props = { timeoutSeconds: number; onStay: () => Promise<unknown>; onExpire: () => void; onLeave: () => void };

/**
 * The staff session idles out on the server after 5 minutes without a request (issue 15). The console
 * counts from the last answered counter request (on /counter/ every request is one), warns a minute
 * before with the choice to keep working (one GET of the staff session restarts the timer), and signs
 * out at zero so that a customer's data does not stay on an unattended screen.
 */
export function CounterIdleWarning({ timeoutSeconds, onStay, onExpire, onLeave }: Props) {
  const { t } = useTranslation('counter');
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [left, setLeft] = useState(() => secondsLeft(timeoutSeconds));
  const expired = useRef(false);

  useEffect(() => {
    const tick = () => setLeft(secondsLeft(timeoutSeconds));
    const timer = window.setInterval(tick, 1000);
    const unsubscribe = onApiActivity(tick);
    document.addEventListener('visibilitychange', tick);
    return () => {
      window.clearInterval(timer);
      unsubscribe();
      document.removeEventListener('visibilitychange', tick);
    };
  }, [timeoutSeconds]);

  const warning = left <= WARN_BEFORE_SECONDS;
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (warning && left > 0 && !dialog.open) dialog.showModal();
    if (!warning && dialog.open) dialog.close();
  }, [warning, left]);

  useEffect(() => {
    if (left > 0 || expired.current) return;
    expired.current = true;
    dialogRef.current?.close();
    onExpire();
  }, [left, onExpire]);

  const stay = useMutation({ mutationFn: onStay });
  return (
    <dialog
      ref={dialogRef}
      className="c-idle"
      aria-labelledby="c-idle-title"
      aria-describedby="c-idle-body"
      data-testid="counter-idle-warning"
      onCancel={(event) => {
        // Esc here means "I am still here".
        event.preventDefault();
        stay.mutate();
      }}
    >
      <div className="c-idle__head">
        <WarningIcon size={22} />
        <h2 id="c-idle-title">{t('idle.title')}</h2>
      </div>
      <p id="c-idle-body">{t('idle.body', { seconds: left })}</p>
      <div className="c-actions">
        <Button variant="secondary" size="sm" onClick={onLeave}>
          {t('idle.leave')}
        </Button>
        <Button size="sm" autoFocus busy={stay.isPending} onClick={() => stay.mutate()} data-testid="counter-idle-stay">
          {t('idle.stay')}
        </Button>
      </div>
    </dialog>
  );
}

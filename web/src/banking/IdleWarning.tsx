import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { fetchSession, lastApiActivityMs, onApiActivity } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import { useLogout } from '../api/session';
import { Button } from '../ui/Button';
import { WarningIcon } from '../ui/icons';
import { useSignOutFor } from './signOut';

/** The warning appears this long before the server's idle timeout runs out. */
const WARN_BEFORE_SECONDS = 60;

function secondsLeft(timeoutSeconds: number): number {
  return Math.max(0, Math.ceil(timeoutSeconds - (Date.now() - lastApiActivityMs()) / 1000));
}

/**
 * Counts the server's idle timeout from the last answered API call. A minute before it runs out a modal
 * dialog offers to stay signed in (one GET /api/v1/session restarts the server's timer); at zero the
 * session is ended and the customer lands on the login page with a "session expired" note.
 */
export function IdleWarning({ timeoutSeconds }: { timeoutSeconds: number }) {
  const { t } = useTranslation('banking');
  const navigate = useNavigate();
  const logout = useLogout();
  const signOutFor = useSignOutFor();
  const client = useQueryClient();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [left, setLeft] = useState(() => secondsLeft(timeoutSeconds));
  const expiredRef = useRef(false);

  useEffect(() => {
    const tick = () => setLeft(secondsLeft(timeoutSeconds));
    const timer = window.setInterval(tick, 1000);
    const unsubscribe = onApiActivity(tick);
    // A tab in the background may have slept through its timers: check again when it is shown.
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
    if (left > 0 || expiredRef.current) return;
    expiredRef.current = true;
    dialogRef.current?.close();
    // Signed out here first: the layout's guard then sends the customer to the login page with the
    // note (and the login page does not bounce back). The server is told too: its own timer has run out,
    // but a logout makes sure.
    signOutFor({ kind: 'idle' });
  }, [left, signOutFor]);

  // One GET of the session restarts the server's idle timer. A failure is not shown: the countdown keeps
  // running, and at zero the customer is sent to the login page.
  const stay = useMutation({
    mutationFn: fetchSession,
    onSuccess: (session) => client.setQueryData(queryKeys.session, session),
  });

  return (
    <dialog
      ref={dialogRef}
      className="idle-dialog"
      aria-labelledby="idle-title"
      aria-describedby="idle-body"
      data-testid="idle-warning"
      onCancel={(event) => {
        // Escape means "I am still here", not "close and let me be signed out unseen".
        event.preventDefault();
        stay.mutate();
      }}
    >
      <div className="idle-dialog__head">
        <WarningIcon size={24} className="idle-dialog__icon" />
        <h2 id="idle-title">{t('idle.title')}</h2>
      </div>
      <p id="idle-body">{t('idle.body', { seconds: left })}</p>
      <div className="idle-dialog__actions">
        <Button variant="secondary" onClick={() => void logout().then(() => navigate('/', { replace: true }))}>
          {t('idle.leave')}
        </Button>
        <Button onClick={() => stay.mutate()} busy={stay.isPending} data-testid="idle-stay" autoFocus>
          {t('idle.stay')}
        </Button>
      </div>
    </dialog>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client';
import { invalidate, queryKeys } from '../../api/queryKeys';
import { useRefreshSession } from '../../api/session';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ErrorIcon, SuccessIcon } from '../../ui/icons';
import { PasswordField } from '../../ui/PasswordField';
import { ProblemAlert, useProblemText } from '../../ui/ProblemAlert';
import { useSignOutFor } from '../signOut';

/** The password rules (API.md, "Registration and passwords"), checked live as the customer types. */
export function passwordChecks(password: string) {
  return {
    length: password.length >= 6 && password.length <= 30,
    letters: /[A-Za-z]/.test(password),
    digits: /\d/.test(password),
  };
}

/** Change of the login password, with the policy checked live as the customer types. */
export function PasswordSection() {
  const { t } = useTranslation('banking');
  const refreshSession = useRefreshSession();
  const client = useQueryClient();
  const signOutFor = useSignOutFor();
  const problemText = useProblemText();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ current?: string; next?: string; repeat?: string }>({});
  const mutation = useMutation({
    mutationFn: () =>
      api<void>('/api/v1/security/password', {
        method: 'POST',
        body: { currentPassword: current, newPassword: next },
      }),
    onSuccess: async () => {
      setCurrent('');
      setNext('');
      setRepeat('');
      // The server may rotate the session after a password change: pick up the new CSRF token.
      await refreshSession().catch(() => undefined);
      // The other sessions may have been ended with the old password.
      invalidate(client, [queryKeys.security.sessions]);
    },
    onError: (error) => {
      // The last wrong current password locks the login (423 auth.locked) and the server ends every session
      // of the customer: this page cannot go on, so the login page says why and until when.
      if (error instanceof ApiError && error.code === 'auth.locked') {
        signOutFor({ kind: 'locked', detail: problemText(error) });
      }
    },
  });
  const checks = passwordChecks(next);
  const policyOk = checks.length && checks.letters && checks.digits;

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: typeof errors = {};
    if (!current) found.current = t('security.password.currentMissing');
    if (!policyOk) found.next = t('security.password.policy');
    else if (next === current) found.next = t('security.password.same');
    if (repeat !== next) found.repeat = t('security.password.mismatch');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    mutation.mutate();
  }

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title" className="section-title">
        {t('security.password.title')}
      </h2>
      <form onSubmit={submit} noValidate className="stack">
        <PasswordField
          label={t('security.password.current')}
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
          error={errors.current}
          autoComplete="current-password"
          maxLength={30}
          required
          testId="password-current"
        />
        <PasswordField
          label={t('security.password.new')}
          value={next}
          onChange={(event) => setNext(event.target.value)}
          error={errors.next}
          autoComplete="new-password"
          maxLength={30}
          required
          testId="password-new"
          hint={
            <ul className="policy" data-testid="password-policy">
              {(['length', 'letters', 'digits'] as const).map((rule) => (
                <li key={rule} className={checks[rule] ? 'policy__ok' : 'policy__todo'}>
                  {checks[rule] ? <SuccessIcon size={14} /> : <ErrorIcon size={14} />}
                  <span className="visually-hidden">
                    {checks[rule] ? t('security.password.met') : t('security.password.unmet')}:{' '}
                  </span>
                  {t(`security.password.rules.${rule}`)}
                </li>
              ))}
            </ul>
          }
        />
        <PasswordField
          label={t('security.password.repeat')}
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
          error={errors.repeat}
          autoComplete="new-password"
          maxLength={30}
          required
          testId="password-repeat"
        />
        {mutation.isError && <ProblemAlert error={mutation.error} testId="password-error" />}
        {mutation.isSuccess && (
          <Alert tone="success" testId="password-changed">
            {t('security.password.done')}
          </Alert>
        )}
        <div>
          <Button type="submit" busy={mutation.isPending} data-testid="password-submit">
            {t('security.password.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { SmsAuthorizationRequired } from '../../api/contract';
import { invalidate, queryKeys } from '../../api/queryKeys';
import { useRefreshSession } from '../../api/session';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { PasswordField } from '../../ui/PasswordField';
import { meetsLiveRules, PasswordRules, usePasswordPolicy } from '../../ui/PasswordRules';
import { ProblemAlert, useProblemText } from '../../ui/ProblemAlert';
import { useSignOutFor } from '../signOut';
import { PasswordCodeStep } from './PasswordCodeStep';
import { type PasswordAnswer, postPasswordChange } from './passwordChange';

/**
 * Change of the login password, with the policy checked live as the customer types. The server checks
 * both passwords, then asks for an SMS code bound to the new one (202); the code step repeats the
 * request with it. Changing any password field drops the code, which was sent for the old values.
 */
export function PasswordSection() {
  const { t } = useTranslation('banking');
  const refreshSession = useRefreshSession();
  const client = useQueryClient();
  const signOutFor = useSignOutFor();
  const problemText = useProblemText();
  const { data: policy } = usePasswordPolicy();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ current?: string; next?: string; repeat?: string }>({});
  const [challenge, setChallenge] = useState<SmsAuthorizationRequired>();
  const [changed, setChanged] = useState(false);
  const passwords = { currentPassword: current, newPassword: next };

  async function onAnswer(answer: PasswordAnswer) {
    if (answer?.status === 'authorization_required') {
      setChallenge(answer);
      return;
    }
    setChallenge(undefined);
    setCurrent('');
    setNext('');
    setRepeat('');
    setChanged(true);
    // The server rotates the session after a password change: pick up the new CSRF token.
    await refreshSession().catch(() => undefined);
    // The other sessions have been ended: the security lists reload.
    invalidate(client, [queryKeys.security.sessions, queryKeys.security.devices, queryKeys.security.logins]);
  }
  const ask = useMutation({
    mutationFn: () => postPasswordChange(passwords),
    onSuccess: onAnswer,
    onError: (error) => {
      // The last wrong current password locks the login (423 auth.locked) and the server ends every session
      // of the customer: this page cannot go on, so the login page says why and until when.
      if (error instanceof ApiError && error.code === 'auth.locked') {
        signOutFor({ kind: 'locked', detail: problemText(error) });
      }
    },
  });
  /** A changed field means other passwords: the code (sent for the old ones) and the last outcome go. */
  function edit(set: (value: string) => void) {
    return (event: ChangeEvent<HTMLInputElement>) => {
      set(event.target.value);
      setChallenge(undefined);
      setChanged(false);
    };
  }
  const policyOk = meetsLiveRules(policy, next);

  function submit(event: FormEvent) {
    event.preventDefault();
    // While a code is asked for, the code step below answers it; Enter here must not send another.
    if (challenge) return;
    const found: typeof errors = {};
    if (!current) found.current = t('security.password.currentMissing');
    if (!policyOk) found.next = t('security.password.policy');
    else if (next === current) found.next = t('security.password.same');
    if (repeat !== next) found.repeat = t('security.password.mismatch');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setChanged(false);
    ask.mutate();
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
          onChange={edit(setCurrent)}
          error={errors.current}
          autoComplete="current-password"
          maxLength={30}
          required
          testId="password-current"
        />
        <PasswordField
          label={t('security.password.new')}
          value={next}
          onChange={edit(setNext)}
          error={errors.next}
          autoComplete="new-password"
          maxLength={30}
          required
          testId="password-new"
          hint={<PasswordRules password={next} />}
        />
        <PasswordField
          label={t('security.password.repeat')}
          value={repeat}
          onChange={edit(setRepeat)}
          error={errors.repeat}
          autoComplete="new-password"
          maxLength={30}
          required
          testId="password-repeat"
        />
        {ask.isError && !challenge && <ProblemAlert error={ask.error} testId="password-error" />}
        {changed && (
          <Alert tone="success" testId="password-changed">
            {t('security.password.done')}
          </Alert>
        )}
        {!challenge && (
          <div>
            <Button type="submit" busy={ask.isPending} data-testid="password-submit">
              {t('security.password.submit')}
            </Button>
          </div>
        )}
      </form>
      {challenge && (
        <PasswordCodeStep
          key={challenge.challengeId}
          passwords={passwords}
          challenge={challenge}
          onAnswer={onAnswer}
          onCancel={() => setChallenge(undefined)}
        />
      )}
    </section>
  );
}

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client';
import type { LoginNameSet, SmsAuthorizationRequired } from '../../api/contract';
import { useRefreshSession, useSession } from '../../api/session';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { CodeField } from '../../ui/CodeField';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { TextField } from '../../ui/TextField';

/** The personal login name, confirmed with an SMS code before it is set. */
export function LoginNameSection() {
  const { t } = useTranslation('banking');
  const session = useSession();
  const refreshSession = useRefreshSession();
  const saved = session.data?.customer?.loginName;
  const [loginName, setLoginName] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (saved) setLoginName(saved);
  }, [saved]);
  // A new login name is confirmed with an SMS code: the first PUT sends it, the second carries it.
  const [challengeId, setChallengeId] = useState<string>();
  const [code, setCode] = useState('');
  const mutation = useMutation({
    mutationFn: (value: string) =>
      api<LoginNameSet | SmsAuthorizationRequired>('/api/v1/security/login-name', {
        method: 'PUT',
        body: {
          loginName: value,
          ...(challengeId ? { authorization: { method: 'sms', challengeId, response: code.trim() } } : {}),
        },
      }),
    onSuccess: (answer) => {
      if (answer.status === 'authorization_required') {
        setChallengeId(answer.challengeId);
        return;
      }
      setChallengeId(undefined);
      setCode('');
      refreshSession().catch(() => undefined);
    },
    onError: (error) => {
      // Whether a name is free is told only after the code (the server's rule against trying names): a
      // taken name goes back to the first step, with the problem shown, for another name and a new code.
      if (error instanceof ApiError && error.code === 'auth.login_name_taken') {
        setChallengeId(undefined);
        setCode('');
      }
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = loginName.trim();
    // Letters first, then letters, digits or underscores; never all digits (it would look like a card).
    if (!/^[A-Za-z][A-Za-z0-9_]{5,14}$/.test(value)) {
      setError(t('security.loginName.invalid'));
      return;
    }
    setError(undefined);
    mutation.mutate(value);
  }

  return (
    <section className="panel" aria-labelledby="login-name-title">
      <h2 id="login-name-title" className="section-title">
        {t('security.loginName.title')}
      </h2>
      <form onSubmit={submit} noValidate className="stack">
        <TextField
          label={t('security.loginName.label')}
          value={loginName}
          onChange={(event) => {
            setLoginName(event.target.value);
            setChallengeId(undefined);
          }}
          error={error}
          hint={t('security.loginName.hint')}
          autoComplete="username"
          maxLength={15}
          testId="login-name"
        />
        {challengeId && (
          <CodeField
            label={t('security.loginName.code')}
            value={code}
            onChange={setCode}
            oneTimeCode
            maxLength={6}
            testId="login-name-code"
          />
        )}
        {mutation.isError && <ProblemAlert error={mutation.error} testId="login-name-error" />}
        {mutation.isSuccess && !challengeId && <Alert tone="success">{t('security.loginName.done')}</Alert>}
        <div>
          <Button type="submit" variant="secondary" busy={mutation.isPending} data-testid="login-name-submit">
            {challengeId ? t('security.loginName.confirm') : t('security.save')}
          </Button>
        </div>
      </form>
    </section>
  );
}

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ReservedMessageAnswer } from '../../api/contract';
import { useRefreshSession, useSession } from '../../api/session';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { TextField } from '../../ui/TextField';

/** The anti-phishing reserved message shown after sign-in and on payment confirmations. */
export function ReservedMessageSection() {
  const { t } = useTranslation('banking');
  const session = useSession();
  const refreshSession = useRefreshSession();
  const saved = session.data?.customer?.reservedMessage;
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (saved) setMessage(saved);
  }, [saved]);
  const mutation = useMutation({
    mutationFn: (value: string) =>
      api<ReservedMessageAnswer>('/api/v1/security/reserved-message', { method: 'PUT', body: { message: value } }),
    onSuccess: () => refreshSession().catch(() => undefined),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = message.trim();
    if (value.length < 1 || [...value].length > 20) {
      setError(t('security.reserved.invalid'));
      return;
    }
    setError(undefined);
    mutation.mutate(value);
  }

  return (
    <section className="panel" aria-labelledby="reserved-form-title" id="reserved">
      <h2 id="reserved-form-title" className="section-title">
        {t('security.reserved.title')}
      </h2>
      <form onSubmit={submit} noValidate className="stack">
        <TextField
          label={t('security.reserved.label')}
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          error={error}
          hint={t('security.reserved.hint')}
          maxLength={20}
          autoComplete="off"
          testId="reserved-message-input"
        />
        {mutation.isError && <ProblemAlert error={mutation.error} testId="reserved-error" />}
        {mutation.isSuccess && <Alert tone="success">{t('security.reserved.done')}</Alert>}
        <div>
          <Button type="submit" variant="secondary" busy={mutation.isPending} data-testid="reserved-submit">
            {t('security.save')}
          </Button>
        </div>
      </form>
    </section>
  );
}

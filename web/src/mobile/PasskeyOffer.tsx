import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/ApiError';
import type { AuthorizationRequired } from '../api/contract';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { MediumChallenge } from '../ui/MediumChallenge';
import { ProblemAlert } from '../ui/ProblemAlert';
import { challengeView } from '../ui/securityMedium';
import { useCodeEntry } from '../ui/useCodeEntry';
import { registerPasskey } from './passkeyApi';

/**
 * After a password sign-in: "use fingerprint / face next time?". Turning it on asks the customer's
 * current medium first (the server's authorization pattern), then the phone registers a platform
 * passkey with user verification.
 */
export function PasskeyOffer({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('mobile', { keyPrefix: 'passkey' });
  const { t: tc } = useTranslation('common', { keyPrefix: 'challenge' });
  const [asked, setAsked] = useState<AuthorizationRequired>();
  const entry = useCodeEntry();

  const step = useMutation({
    mutationFn: async (response?: string) => {
      const answer =
        response && asked
          ? { method: asked.authorization.method, challengeId: asked.challengeId, response }
          : undefined;
      const result = await registerPasskey(answer);
      if (result === 'done') {
        onDone();
        return;
      }
      setAsked(result);
      entry.retry();
    },
    onError: () => entry.retry(),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (step.isPending) return;
    const response = entry.answer(tc('missingCode'));
    if (response) step.mutate(response);
  }

  const view = asked ? challengeView(asked.authorization.method, asked.authorization.challenge) : null;
  const error = step.error;
  return (
    <section className="m-passkey stack" aria-labelledby="m-passkey-title" data-testid="passkey-offer">
      <h1 id="m-passkey-title" className="m-login__title">
        {t('offerTitle')}
      </h1>
      <p>{t('offerLead')}</p>
      {error &&
        (error instanceof ApiError ? (
          <ProblemAlert error={error} testId="passkey-error" />
        ) : (
          <Alert tone="error" testId="passkey-refused">
            {t('refused')}
          </Alert>
        ))}
      {view ? (
        <form className="stack" onSubmit={submit} noValidate>
          <p>{t('approve', { medium: view.method === 'sms' ? t('mediumSms') : t('mediumOther') })}</p>
          <MediumChallenge
            view={view}
            messages={{ ns: 'common', keyPrefix: 'challenge' }}
            field={entry.field}
            size="lg"
            testIdPrefix="passkey"
            smsMeta={null}
          />
          <Button type="submit" size="lg" block busy={step.isPending} data-testid="passkey-confirm">
            {t('confirm')}
          </Button>
        </form>
      ) : (
        <Button
          size="lg"
          block
          busy={step.isPending}
          onClick={() => step.mutate(undefined)}
          data-testid="passkey-enable"
        >
          {t('enable')}
        </Button>
      )}
      <Button variant="secondary" size="lg" block onClick={onDone} disabled={step.isPending} data-testid="passkey-skip">
        {t('notNow')}
      </Button>
    </section>
  );
}

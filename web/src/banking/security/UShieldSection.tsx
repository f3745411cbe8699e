import { type PublicKeyCredentialCreationOptionsJSON, startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/ApiError';
import { afterMediaChange, invalidate, queryKeys } from '../../api/queryKeys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { MediumChallenge } from '../../ui/MediumChallenge';
import { PasswordField } from '../../ui/PasswordField';
import { challengeView } from '../../ui/securityMedium';
import { useCodeEntry } from '../../ui/useCodeEntry';
import { BindingProblem } from './BindingProblem';
import { type EnrolmentChallenge, finishUShieldRegistration, getMedia, startUShieldRegistration } from './mediaApi';

/**
 * The U-shield's certificate download (证书下载, API.md "Security centre"): shown while the counter's
 * U-shield is `issued`. The current medium approves it; then the browser asks the key to register
 * (insert it, enter its PIN, press its button), and the U-shield is active.
 */
export function UShieldSection() {
  const { t } = useTranslation('banking', { keyPrefix: 'security.uShield' });
  const { t: tAuth } = useTranslation('banking', { keyPrefix: 'auth' });
  const client = useQueryClient();
  const media = useQuery({ queryKey: queryKeys.security.media, queryFn: getMedia });
  const issued = media.data?.items.find((m) => m.kind === 'u_shield' && m.status === 'issued');
  const [challenge, setChallenge] = useState<EnrolmentChallenge>();
  const [done, setDone] = useState(false);
  const [cardPin, setCardPin] = useState('');
  const [pinError, setPinError] = useState<string>();
  const entry = useCodeEntry();

  const register = async (registrationId: string, options: PublicKeyCredentialCreationOptionsJSON) => {
    const credential = await startRegistration({ optionsJSON: options });
    await finishUShieldRegistration(registrationId, credential);
    setChallenge(undefined);
    setDone(true);
    invalidate(client, afterMediaChange);
  };

  const step = useMutation({
    mutationFn: async (response?: string) => {
      if (!issued) return;
      const answer =
        response && challenge
          ? { method: challenge.authorization.method, challengeId: challenge.challengeId, response }
          : undefined;
      const result = await startUShieldRegistration(issued.id, cardPin, answer);
      if ('registrationId' in result) {
        await register(result.registrationId, result.options as PublicKeyCredentialCreationOptionsJSON);
      } else {
        setChallenge(result);
        entry.retry();
      }
    },
    onError: () => entry.retry(),
  });

  if (done) {
    return (
      <section className="panel" aria-labelledby="u-shield-title" data-testid="u-shield-section">
        <h2 id="u-shield-title" className="section-title">
          {t('title')}
        </h2>
        <Alert tone="success" testId="u-shield-active">
          {t('done')}
        </Alert>
      </section>
    );
  }
  if (!issued) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (step.isPending) return;
    const response = entry.answer(tAuth('missingCode'));
    if (response) step.mutate(response);
  }

  const view = challenge ? challengeView(challenge.authorization.method, challenge.authorization.challenge) : null;
  const keyRefused = step.error !== null && !(step.error instanceof ApiError);
  return (
    <section className="panel" aria-labelledby="u-shield-title" data-testid="u-shield-section">
      <h2 id="u-shield-title" className="section-title">
        {t('title')}
      </h2>
      <p className="section-lead">{t('lead', { serial: issued.serial ?? '' })}</p>
      {view ? (
        <form className="stack" onSubmit={submit} noValidate>
          <p>{t('approve', { medium: tAuth(`media.${view.method}`, { defaultValue: view.method }) })}</p>
          <MediumChallenge
            view={view}
            messages={{ ns: 'banking', keyPrefix: 'auth' }}
            field={entry.field}
            testIdPrefix="u-shield"
            smsMeta={null}
          />
          <ol className="medium__steps">
            <li>{tAuth('uShieldInsert')}</li>
            <li>{tAuth('uShieldPin')}</li>
            <li>{tAuth('uShieldButton')}</li>
          </ol>
          <div className="panel__actions">
            <Button variant="secondary" onClick={() => setChallenge(undefined)} disabled={step.isPending}>
              {tAuth('cancel')}
            </Button>
            <Button type="submit" busy={step.isPending} data-testid="u-shield-submit">
              {t('download')}
            </Button>
          </div>
        </form>
      ) : (
        <div className="stack">
          <PasswordField
            label={t('cardPin')}
            value={cardPin}
            onChange={(event) => {
              setCardPin(event.target.value.replace(/\D/g, '').slice(0, 6));
              setPinError(undefined);
            }}
            error={pinError}
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            required
            testId="u-shield-card-pin"
          />
          <Button
            variant="secondary"
            busy={step.isPending}
            onClick={() => {
              if (!/^\d{6}$/.test(cardPin)) {
                setPinError(t('cardPinMissing'));
                return;
              }
              step.mutate(undefined);
            }}
            data-testid="u-shield-start"
          >
            {t('start')}
          </Button>
        </div>
      )}
      {step.error instanceof ApiError && <BindingProblem error={step.error} testId="u-shield-error" />}
      {keyRefused && (
        <Alert tone="error" testId="u-shield-key-error">
          {t('keyFailed')}
        </Alert>
      )}
    </section>
  );
}

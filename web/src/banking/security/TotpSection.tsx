import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/ApiError';
import { afterMediaChange, invalidate, queryKeys } from '../../api/queryKeys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { BindingProblem } from './BindingProblem';
import { type Enrolment, type EnrolmentChallenge, getMedia, startTotpEnrolment } from './mediaApi';
import { TotpChallengeStep } from './TotpChallengeStep';
import { TotpScanStep } from './TotpScanStep';

/** Where the binding is: not started (or over), the current medium's challenge, or the new token's QR. */
type Step =
  | { name: 'idle' }
  | { name: 'challenge'; challenge: EnrolmentChallenge }
  | { name: 'scan'; enrolment: Enrolment }
  | { name: 'done' };

/**
 * Binding an authenticator app (a TOTP soft token, API.md "Security centre"): the customer's current
 * medium approves it, the app reads the new token's QR code or link, and its first code makes the token
 * active. The QR code and key live only in this component's state, and go when the binding ends.
 */
export function TotpSection() {
  const { t } = useTranslation('banking');
  const client = useQueryClient();
  const media = useQuery({ queryKey: queryKeys.security.media, queryFn: getMedia });
  const hasToken = media.data?.items.some((m) => m.kind === 'totp' && m.status === 'active') ?? false;
  const [step, setStep] = useState<Step>({ name: 'idle' });
  /** Why the last binding stopped (a medium locked, the token gone), shown until the next start. */
  const [stopped, setStopped] = useState<ApiError>();
  /** Each start mounts its steps afresh (their fields, countdowns and refusals). */
  const [attempt, setAttempt] = useState(0);

  const start = useMutation({
    mutationFn: () => startTotpEnrolment(),
    onSuccess: (result) => {
      setAttempt((n) => n + 1);
      setStep(
        'enrollmentId' in result ? { name: 'scan', enrolment: result } : { name: 'challenge', challenge: result },
      );
    },
  });

  function stop(error: ApiError) {
    setStopped(error);
    setStep({ name: 'idle' });
    // A locked medium changes the list, and perhaps the tier and its limits.
    invalidate(client, afterMediaChange);
  }

  return (
    <section className="panel totp" aria-labelledby="totp-title" data-testid="totp-section">
      <h2 id="totp-title" className="section-title">
        {t('security.totp.title')}
      </h2>
      <p className="section-lead">{t('security.totp.lead')}</p>
      {step.name === 'challenge' && (
        <TotpChallengeStep
          key={attempt}
          challenge={step.challenge}
          onChallenge={(challenge) => setStep({ name: 'challenge', challenge })}
          onEnrolled={(enrolment) => setStep({ name: 'scan', enrolment })}
          onLocked={stop}
          onCancel={() => setStep({ name: 'idle' })}
        />
      )}
      {step.name === 'scan' && (
        <TotpScanStep
          key={attempt}
          enrolment={step.enrolment}
          onActive={() => {
            setStep({ name: 'done' });
            invalidate(client, afterMediaChange);
          }}
          onFailed={stop}
          onCancel={() => setStep({ name: 'idle' })}
        />
      )}
      {step.name === 'done' && (
        <Alert tone="success" testId="totp-active">
          {t('security.totp.done')}
        </Alert>
      )}
      {step.name === 'idle' && (
        <>
          {stopped && <BindingProblem error={stopped} testId="totp-stopped" />}
          {start.isError && <BindingProblem error={start.error} testId="totp-start-error" />}
          {hasToken && <p className="totp__note">{t('security.totp.haveOne')}</p>}
          <div>
            <Button
              variant="secondary"
              busy={start.isPending}
              onClick={() => {
                setStopped(undefined);
                start.mutate();
              }}
              data-testid="totp-start"
            >
              {stopped ? t('security.totp.startAgain') : t('security.totp.start')}
            </Button>
          </div>
        </>
      )}
    </section>
  );
}

import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../ui/Button';
import { MediumChallenge } from '../ui/MediumChallenge';
import { ProblemAlert } from '../ui/ProblemAlert';
import { challengeView, isTyped } from '../ui/securityMedium';
import { useCodeEntry } from '../ui/useCodeEntry';
import { useCountdown } from '../ui/useCountdown';
import { type Challenge, type LoginResult, verifyChallenge } from './loginApi';

type Props = {
  attemptId: string;
  challenge: Challenge;
  onResult: (result: LoginResult) => Promise<void>;
  onCancel: () => void;
  size?: 'md' | 'lg';
};

/**
 * The second login step: the server chose a security medium and sent its challenge. The medium is shown
 * in its own look above one field for the answer; the answer's result goes back to the login flow.
 */
export function ChallengeStep({ attemptId, challenge, onResult, onCancel, size = 'md' }: Props) {
  const { t } = useTranslation();
  const view = challengeView(challenge.method, challenge);
  const entry = useCodeEntry();
  // A new challenge object means a new code was sent: the countdown starts again.
  const resendLeft = useCountdown(view.method === 'sms' ? view.resendAfterSeconds : 0, challenge);
  const verify = useMutation({
    mutationFn: async (answer: string) => onResult(await verifyChallenge(attemptId, view.method, answer)),
    onError: () => entry.retry(),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (verify.isPending) return;
    const answer = entry.answer(t('challenge.missingCode'));
    if (answer) verify.mutate(answer);
  }

  return (
    <form className="step" onSubmit={submit} noValidate aria-labelledby="challenge-title">
      <div className="step__head">
        <h2 id="challenge-title" className="step__title">
          {t('challenge.title')}
        </h2>
        <p className="step__lead">{t('challenge.lead')}</p>
      </div>

      <MediumChallenge
        view={view}
        messages={{ ns: 'common', keyPrefix: 'challenge' }}
        field={entry.field}
        size={size}
        testIdPrefix="challenge"
        smsMeta={
          <p className="medium__meta tabular" aria-live="polite">
            {resendLeft > 0 ? t('challenge.resendIn', { seconds: resendLeft }) : t('challenge.resendReady')}
          </p>
        }
      />

      {verify.isError && <ProblemAlert error={verify.error} testId="login-error" />}

      <div className="step__actions">
        {isTyped(view.method) && (
          <Button type="submit" size="lg" block busy={verify.isPending} data-testid="challenge-submit">
            {verify.isPending ? t('challenge.submitting') : t('challenge.submit')}
          </Button>
        )}
        <Button variant="quiet" onClick={onCancel} data-testid="challenge-cancel">
          {t('challenge.backToLogin')}
        </Button>
      </div>
    </form>
  );
}

import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../ui/Button';
import { MediumChallenge } from '../ui/MediumChallenge';
import { ProblemAlert } from '../ui/ProblemAlert';
import { challengeView, isTyped } from '../ui/securityMedium';
import { useCodeEntry } from '../ui/useCodeEntry';
import { useCountdown } from '../ui/useCountdown';
import {
  type Alternative,
  type Challenge,
  type LoginResult,
  redrawnChallenge,
  renewChallenge,
  verifyChallenge,
} from './loginApi';
import './messages';

type Props = {
  attemptId: string;
  challenge: Challenge;
  /** The other media the server offers for this sign-in ("use the password card instead"). */
  alternatives?: Alternative[];
  onResult: (result: LoginResult) => Promise<void>;
  onCancel: () => void;
  size?: 'md' | 'lg';
};

/**
 * The second login step: the server chose a security medium and sent its challenge. The medium is shown
 * in its own look above one field for the answer, with the other media the customer holds to switch to;
 * every answer of the server (a new challenge, or the outcome) goes back to the login flow.
 */
export function ChallengeStep({ attemptId, challenge, alternatives = [], onResult, onCancel, size = 'md' }: Props) {
  const { t } = useTranslation();
  const { t: tl } = useTranslation('login', { keyPrefix: 'challenge' });
  const view = challengeView(challenge.method, challenge);
  const entry = useCodeEntry();
  // A new challenge object means a new code was sent: the countdown starts again.
  const resendLeft = useCountdown(view.method === 'sms' ? view.resendAfterSeconds : 0, challenge);
  const verify = useMutation({
    mutationFn: async (answer: string) => onResult(await verifyChallenge(attemptId, view.method, answer)),
    onError: (error) => {
      // A wrong password-card answer draws new cells: show them, and ask again.
      const next = redrawnChallenge(error);
      if (next) void onResult({ state: 'challenge', attemptId, challenge: next, alternatives });
      entry.retry();
    },
  });
  // A new SMS code, or a challenge of another medium (the server binds it to this attempt again).
  const renew = useMutation({
    mutationFn: async (method: Alternative) => onResult(await renewChallenge(attemptId, method)),
    onSuccess: () => entry.retry(),
  });
  const failure = verify.error ?? renew.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (verify.isPending) return;
    const answer = entry.answer(t('challenge.missingCode'));
    if (!answer) return;
    renew.reset();
    verify.mutate(answer);
  }

  function ask(method: Alternative) {
    verify.reset();
    renew.mutate(method);
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
          <p className="medium__meta step__resend tabular" aria-live="polite" data-testid="challenge-resend-countdown">
            {resendLeft > 0 ? (
              t('challenge.resendIn', { seconds: resendLeft })
            ) : (
              <Button
                variant="quiet"
                size="sm"
                onClick={() => ask('sms')}
                busy={renew.isPending}
                data-testid="challenge-resend"
              >
                {tl('resend')}
              </Button>
            )}
          </p>
        }
      />

      {alternatives.length > 0 && (
        <p className="step__alternatives">
          <span>{t('challenge.alternatives')}</span>
          {alternatives.map((method) => (
            <Button
              key={method}
              variant="quiet"
              size="sm"
              onClick={() => ask(method)}
              disabled={renew.isPending || verify.isPending}
              data-testid={`challenge-use-${method}`}
            >
              {tl('useInstead', { medium: tl(`media.${method}`) })}
            </Button>
          ))}
        </p>
      )}

      {failure && <ProblemAlert error={failure} testId="login-error" />}

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

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/ApiError';
import { Button } from '../../ui/Button';
import { MediumChallenge } from '../../ui/MediumChallenge';
import { challengeView, isTyped } from '../../ui/securityMedium';
import { useCodeEntry } from '../../ui/useCodeEntry';
import { useCountdown } from '../../ui/useCountdown';
import type { Authorization } from '../bankingApi';
import { BindingProblem } from './BindingProblem';
import { type Enrolment, type EnrolmentChallenge, startTotpEnrolment } from './mediaApi';

type Props = {
  challenge: EnrolmentChallenge;
  /** A new challenge: a resend, or a password card's new cells after a wrong answer. */
  onChallenge: (challenge: EnrolmentChallenge) => void;
  /** The right answer: the new token's link and QR code. */
  onEnrolled: (enrolment: Enrolment) => void;
  /** The medium was locked by this answer: the binding cannot go on with it. */
  onLocked: (error: ApiError) => void;
  onCancel: () => void;
};

/**
 * Step 1 of binding an authenticator app: the customer's current medium, in its own look (the shared
 * challenge widget), answered by repeating POST /security/totp with the answer (API.md, "Authorization").
 * Kept mounted while a password card's wrong answer draws new cells, so the refusal stays on screen.
 */
export function TotpChallengeStep({ challenge, onChallenge, onEnrolled, onLocked, onCancel }: Props) {
  const { t } = useTranslation('banking');
  const { method } = challenge.authorization;
  const view = challengeView(method, challenge.authorization.challenge);
  const entry = useCodeEntry();
  const resendLeft = useCountdown(view.resendAfterSeconds, challenge.challengeId);
  const [newCells, setNewCells] = useState(false);

  const answer = useMutation({
    mutationFn: (response: string) => startTotpEnrolment({ method, challengeId: challenge.challengeId, response }),
    onSuccess: (result) => {
      if ('enrollmentId' in result) onEnrolled(result);
      else onChallenge(result);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'media.locked') {
        onLocked(error);
        return;
      }
      entry.retry();
      if (!(error instanceof ApiError) || error.code !== 'media.wrong_answer' || method !== 'password_card') return;
      // A password card's wrong answer draws new cells, so the old ones are never guessed one by one.
      const next = error.extensions.authorization as Authorization | undefined;
      if (next) onChallenge({ ...challenge, authorization: next });
      // Without the new cells in the refusal the old ones are void: ask for a fresh challenge.
      else again.mutate();
      setNewCells(true);
    },
  });
  // The request again without an answer: a new SMS code, or a fresh challenge once this one is void.
  const again = useMutation({
    mutationFn: () => startTotpEnrolment(),
    onSuccess: (result) => {
      if ('enrollmentId' in result) onEnrolled(result);
      else onChallenge(result);
    },
  });
  const failure = answer.error ?? again.error;
  const expired = failure instanceof ApiError && failure.code === 'media.challenge_invalid';

  function submit(event: FormEvent) {
    event.preventDefault();
    if (answer.isPending) return;
    const response = entry.answer(t('auth.missingCode'));
    if (!response) return;
    again.reset();
    setNewCells(false);
    answer.mutate(response);
  }

  function askAgain() {
    answer.reset();
    setNewCells(false);
    again.mutate();
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-labelledby="totp-challenge-title">
      <h3 id="totp-challenge-title" className="totp__step-title">
        {t('security.totp.challengeTitle')}
      </h3>
      <p>{t('security.totp.challengeLead', { medium: t(`auth.media.${method}`, { defaultValue: method }) })}</p>
      <MediumChallenge
        view={view}
        messages={{ ns: 'banking', keyPrefix: 'auth' }}
        field={entry.field}
        testIdPrefix="totp"
        smsMeta={
          <p className="medium__meta medium__meta--action tabular" data-testid="totp-resend-countdown">
            {resendLeft > 0 ? (
              t('auth.resendIn', { seconds: resendLeft })
            ) : (
              <Button variant="quiet" size="sm" onClick={askAgain} busy={again.isPending} data-testid="totp-resend">
                {t('auth.resend')}
              </Button>
            )}
          </p>
        }
      />
      {failure && (
        <BindingProblem error={failure} testId="totp-error">
          {newCells && <p data-testid="totp-new-cells">{t('security.totp.problems.newCells')}</p>}
        </BindingProblem>
      )}
      <div className="panel__actions">
        <Button variant="secondary" onClick={onCancel} disabled={answer.isPending}>
          {t('security.totp.cancel')}
        </Button>
        {expired && (
          <Button variant="secondary" onClick={askAgain} busy={again.isPending} data-testid="totp-new-challenge">
            {t('security.totp.newChallenge')}
          </Button>
        )}
        {isTyped(view.method) && (
          <Button type="submit" busy={answer.isPending} data-testid="totp-challenge-submit">
            {t('security.totp.next')}
          </Button>
        )}
      </div>
    </form>
  );
}

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/ApiError';
import type { Money } from '../../ui/money';
import { Button } from '../../ui/Button';
import { MediumChallenge } from '../../ui/MediumChallenge';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { challengeView, isTyped, isWebAuthn } from '../../ui/securityMedium';
import { useCodeEntry } from '../../ui/useCodeEntry';
import { useCountdown } from '../../ui/useCountdown';
import type { Authorization } from '../bankingApi';
import { UShieldSign } from './UShieldSign';

/** Anything a medium authorizes: a transfer, a bill payment. */
export type Authorizable = { id: string; status: string; authorization?: Authorization | undefined };

type Props<T extends Authorizable> = {
  /** The payment awaiting the answer, with the challenge the server chose. */
  payment: T;
  authorization: Authorization;
  /** The facts the customer is signing, shown above the challenge. */
  summary: ReactNode;
  /** What a U-shield signs, in words: whom it pays and how much. */
  signs: { payee: string; amount: Money };
  /** Sends the answer (the digits, or a U-shield's assertion) for this payment. */
  authorize: (method: string, answer: string | object) => Promise<T>;
  /** A fresh challenge: a resend, or another medium among the alternatives. */
  resend: (method?: string) => Promise<T>;
  /** Every answer about the payment after this step's own: a new challenge's payment, or the outcome. */
  onAnswer: (payment: T) => void;
  onCancel: () => void;
  /** The sentence above the challenge, given the medium's name; by default it speaks of a transfer. */
  lead?: (medium: string) => string;
};

/**
 * A payment's signature step, in the look of the medium the server chose (for SMS with a resend once the
 * countdown has run out). Transfers and bill payments both use it, each with its own authorize and
 * resend calls.
 */
export function ChallengeStep<T extends Authorizable>({
  payment,
  authorization,
  summary,
  signs,
  authorize: send,
  resend: reissue,
  onAnswer,
  onCancel,
  lead,
}: Props<T>) {
  const { t } = useTranslation('banking');
  const view = challengeView(authorization.method, authorization.challenge);
  const entry = useCodeEntry();
  /** Counts new codes, so that the countdown restarts even if the server answered with the same id. */
  const [round, setRound] = useState(0);
  const resendLeft = useCountdown(view.method === 'sms' ? view.resendAfterSeconds : 0, `${payment.id}:${round}`);
  const authorize = useMutation({
    mutationFn: (answer: string | object) => send(view.method, answer),
    onSuccess: (result) =>
      result.status === 'authorization_required' ? entry.retry(t('auth.again')) : onAnswer(result),
    onError: (error) => {
      // A wrong password-card answer draws new cells: show them, and ask again.
      const next =
        error instanceof ApiError ? (error.extensions.authorization as Authorization | undefined) : undefined;
      if (next) onAnswer({ ...payment, authorization: next });
      entry.retry();
    },
  });
  // A new code for the same payment, or a challenge of another medium among the alternatives (the
  // server binds it to the same payee and amount again).
  const resend = useMutation({
    mutationFn: (method?: string) => reissue(method),
    onSuccess: (reissued) => {
      onAnswer(reissued);
      setRound((value) => value + 1);
      entry.retry();
    },
  });
  const failure = authorize.error ?? resend.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (authorize.isPending) return;
    const answer = entry.answer(t('auth.missingCode'));
    if (!answer) return;
    resend.reset();
    authorize.mutate(answer);
  }

  function sendNewCode() {
    authorize.reset();
    resend.mutate(undefined);
  }

  return (
    <section className="panel" aria-labelledby="authorize-title">
      <h2 id="authorize-title" className="section-title">
        {t('auth.title')}
      </h2>
      {summary}
      <form className="authorize" onSubmit={submit} noValidate aria-describedby="authorize-lead">
        <p id="authorize-lead" className="authorize__lead">
          {(lead ?? ((medium: string) => t('auth.lead', { medium })))(
            t(`auth.media.${view.method}`, { defaultValue: view.method }),
          )}
        </p>
        {isWebAuthn(view) ? (
          <UShieldSign
            view={view}
            signs={signs}
            busy={authorize.isPending}
            onAssertion={(assertion) => {
              resend.reset();
              return authorize.mutateAsync(assertion);
            }}
          />
        ) : (
          <MediumChallenge
            view={view}
            messages={{ ns: 'banking', keyPrefix: 'auth' }}
            field={entry.field}
            size="lg"
            testIdPrefix="auth"
            smsMeta={
              <p className="medium__meta medium__meta--action tabular" data-testid="auth-resend-countdown">
                {resendLeft > 0 ? (
                  t('auth.resendIn', { seconds: resendLeft })
                ) : (
                  <Button
                    variant="quiet"
                    size="sm"
                    onClick={sendNewCode}
                    busy={resend.isPending}
                    data-testid="auth-resend"
                  >
                    {t('auth.resend')}
                  </Button>
                )}
              </p>
            }
          />
        )}
        {authorization.alternatives.length > 0 && (
          <p className="medium__meta">
            {authorization.alternatives.map((method) => (
              <Button
                key={method}
                variant="quiet"
                size="sm"
                onClick={() => {
                  authorize.reset();
                  resend.mutate(method);
                }}
                disabled={resend.isPending}
                data-testid={`auth-use-${method}`}
              >
                {t('auth.useInstead', { medium: t(`auth.media.${method}`, { defaultValue: method }) })}
              </Button>
            ))}
          </p>
        )}
        {failure && <ProblemAlert error={failure} testId="auth-error" />}
        <div className="panel__actions">
          <Button variant="secondary" onClick={onCancel} disabled={authorize.isPending}>
            {t('auth.cancel')}
          </Button>
          {isTyped(view.method) && (
            <Button type="submit" size="lg" busy={authorize.isPending} data-testid="auth-submit">
              {t('auth.submit')}
            </Button>
          )}
        </div>
      </form>
    </section>
  );
}

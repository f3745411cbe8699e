import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { SmsAuthorizationRequired } from '../../api/contract';
import { Button } from '../../ui/Button';
import { MediumChallenge } from '../../ui/MediumChallenge';
import { ProblemAlert, useProblemText } from '../../ui/ProblemAlert';
import { challengeView } from '../../ui/securityMedium';
import { useCodeEntry } from '../../ui/useCodeEntry';
import { useCountdown } from '../../ui/useCountdown';
import { useSignOutFor } from '../signOut';
import { type PasswordAnswer, postPasswordChange } from './passwordChange';

type Props = {
  /** The passwords the code was sent for: the server checks both again with the code. */
  passwords: { currentPassword: string; newPassword: string };
  challenge: SmsAuthorizationRequired;
  /** Every answer after this step's own: a new code's challenge, or undefined once the password is changed. */
  onAnswer: (answer: PasswordAnswer) => void;
  onCancel: () => void;
};

/**
 * The SMS code that confirms a new login password (API.md, "Authorization"): the same request again,
 * now with the code. A new code is the request without it, once the resend countdown has run out.
 * Mounted anew for each code (keyed by its challenge id), so the countdown and the field start afresh.
 */
export function PasswordCodeStep({ passwords, challenge, onAnswer, onCancel }: Props) {
  const { t } = useTranslation('banking');
  const signOutFor = useSignOutFor();
  const problemText = useProblemText();
  const { method } = challenge.authorization;
  const view = challengeView(method, challenge.authorization.challenge);
  const entry = useCodeEntry();
  const resendLeft = useCountdown(view.resendAfterSeconds, challenge.challengeId);
  function onFailure(error: Error) {
    // The last wrong current password locks the login (423 auth.locked) and the server ends every session.
    if (error instanceof ApiError && error.code === 'auth.locked')
      signOutFor({ kind: 'locked', detail: problemText(error) });
    else entry.retry();
  }
  const confirm = useMutation({
    mutationFn: (response: string) =>
      postPasswordChange({ ...passwords, authorization: { method, challengeId: challenge.challengeId, response } }),
    onSuccess: onAnswer,
    onError: onFailure,
  });
  const resend = useMutation({
    mutationFn: () => postPasswordChange(passwords),
    onSuccess: onAnswer,
    onError: onFailure,
  });
  const failure = confirm.error ?? resend.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (confirm.isPending) return;
    const answer = entry.answer(t('auth.missingCode'));
    if (!answer) return;
    resend.reset();
    confirm.mutate(answer);
  }

  function sendNewCode() {
    confirm.reset();
    resend.mutate();
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-describedby="password-code-lead">
      <p id="password-code-lead">{t('security.password.codeLead')}</p>
      <MediumChallenge
        view={view}
        messages={{ ns: 'banking', keyPrefix: 'auth' }}
        field={entry.field}
        testIdPrefix="password"
        smsMeta={
          <p className="medium__meta medium__meta--action tabular" data-testid="password-resend-countdown">
            {resendLeft > 0 ? (
              t('auth.resendIn', { seconds: resendLeft })
            ) : (
              <Button
                variant="quiet"
                size="sm"
                onClick={sendNewCode}
                busy={resend.isPending}
                data-testid="password-resend"
              >
                {t('auth.resend')}
              </Button>
            )}
          </p>
        }
      />
      {failure && <ProblemAlert error={failure} testId="password-code-error" />}
      <div className="panel__actions">
        <Button variant="secondary" onClick={onCancel} disabled={confirm.isPending}>
          {t('auth.cancel')}
        </Button>
        <Button type="submit" busy={confirm.isPending} data-testid="password-confirm">
          {t('security.password.confirm')}
        </Button>
      </div>
    </form>
  );
}

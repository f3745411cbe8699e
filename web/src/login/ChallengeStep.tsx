import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maskMobile } from '../ui/cardNumber';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ProblemAlert } from '../ui/ProblemAlert';
import { TextField } from '../ui/TextField';
import { type Challenge, type LoginResult, verifyChallenge } from './loginApi';
import { PasswordCardGrid } from './PasswordCardGrid';

type Props = {
  attemptId: string;
  challenge: Challenge;
  onResult: (result: LoginResult) => Promise<void>;
  onCancel: () => void;
  size?: 'md' | 'lg';
};

/** Methods answered by typing digits. U-shield and passkeys need WebAuthn, which comes in a later issue. */
const TYPED = new Set(['sms', 'password_card', 'e_token']);

function useCountdown(seconds: number) {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    setLeft(seconds);
    if (seconds <= 0) return;
    const startedAtMs = Date.now();
    const timer = window.setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - startedAtMs) / 1000));
      setLeft(remaining);
      if (remaining === 0) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [seconds]);
  return left;
}

/**
 * The second login step: the server chose a security medium and sent its challenge. Each typed medium
 * shows what the customer should look at (the masked mobile, the card cells, the token's challenge code)
 * above one input for the answer.
 */
export function ChallengeStep({ attemptId, challenge, onResult, onCancel, size = 'md' }: Props) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const resendLeft = useCountdown(challenge.method === 'sms' ? (challenge.resendAfterSeconds ?? 60) : 0);
  const typed = TYPED.has(challenge.method);

  useEffect(() => inputRef.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!code.trim()) {
      setFieldError(t('challenge.missingCode'));
      inputRef.current?.focus();
      return;
    }
    setFieldError(undefined);
    setError(undefined);
    setBusy(true);
    try {
      await onResult(await verifyChallenge(attemptId, challenge.method, code.trim()));
    } catch (failure) {
      setError(failure);
      setCode('');
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  const label =
    challenge.method === 'sms'
      ? t('challenge.smsLabel')
      : challenge.method === 'password_card'
        ? t('challenge.passwordCardLabel')
        : challenge.method === 'e_token'
          ? t('challenge.eTokenLabel')
          : t('challenge.genericLabel');
  const mobile = challenge.maskedMobile ?? challenge.destination ?? challenge.mobile;
  const tokenCode = challenge.challengeCode ?? challenge.code;

  return (
    <form className="step" onSubmit={submit} noValidate aria-labelledby="challenge-title">
      <div className="step__head">
        <h2 id="challenge-title" className="step__title">
          {t('challenge.title')}
        </h2>
        <p className="step__lead">{t('challenge.lead')}</p>
      </div>

      {challenge.method === 'sms' && (
        <div className="medium medium--sms">
          <p className="medium__text">
            {mobile ? t('challenge.smsSentTo', { mobile: maskMobile(String(mobile)) }) : t('challenge.smsSent')}
          </p>
          <p className="medium__meta tabular" aria-live="polite">
            {resendLeft > 0 ? t('challenge.resendIn', { seconds: resendLeft }) : t('challenge.resendReady')}
          </p>
        </div>
      )}
      {challenge.method === 'password_card' && challenge.cells && (
        <div className="medium medium--card">
          <PasswordCardGrid cells={challenge.cells} />
          <div>
            <p className="medium__text">{t('challenge.passwordCardLead')}</p>
            <p className="medium__cells" data-testid="challenge-cells">
              {challenge.cells.map((cell) => (
                <span key={cell} className="medium__cell">
                  {cell}
                </span>
              ))}
            </p>
          </div>
        </div>
      )}
      {challenge.method === 'e_token' && tokenCode && (
        <div className="medium medium--token">
          <p className="medium__text">{t('challenge.eTokenLead')}</p>
          <p className="medium__code tabular" data-testid="challenge-token-code">
            {String(tokenCode)}
          </p>
        </div>
      )}

      {typed ? (
        <TextField
          ref={inputRef}
          label={label}
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/\s+/g, ''))}
          error={fieldError}
          size={size}
          inputMode="numeric"
          autoComplete={challenge.method === 'sms' ? 'one-time-code' : 'off'}
          maxLength={12}
          required
          testId="challenge-code"
          className="step__code"
        />
      ) : (
        <Alert tone="info">{t('challenge.notSupported')}</Alert>
      )}

      {error !== undefined && <ProblemAlert error={error} testId="login-error" />}

      <div className="step__actions">
        {typed && (
          <Button type="submit" size="lg" block busy={busy} data-testid="challenge-submit">
            {busy ? t('challenge.submitting') : t('challenge.submit')}
          </Button>
        )}
        <Button variant="quiet" onClick={onCancel} data-testid="challenge-cancel">
          {t('challenge.backToLogin')}
        </Button>
      </div>
    </form>
  );
}

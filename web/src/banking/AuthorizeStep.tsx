import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { maskMobile } from '../ui/cardNumber';
import { ProblemAlert } from '../ui/ProblemAlert';
import { TextField } from '../ui/TextField';
import { type Authorization, authorizeTransfer, type Transfer } from './bankingApi';

type Props = {
  transfer: Transfer;
  authorization: Authorization;
  onDone: (transfer: Transfer) => void;
  /** Asks the server for a fresh challenge (for SMS: a new code to the same mobile). */
  onResend: () => Promise<Transfer | undefined>;
  onCancel: () => void;
};

/** Media answered by typing a code; U-shield and passkeys need WebAuthn, which this page does not offer yet. */
const TYPED = new Set(['sms', 'password_card', 'e_token']);

function useCountdown(seconds: number, restartKey: unknown) {
  const [left, setLeft] = useState(seconds);
  // biome-ignore lint/correctness/useExhaustiveDependencies: restartKey restarts the countdown on purpose.
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
  }, [seconds, restartKey]);
  return left;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The payment's signature step, in the look of the medium the server chose: for SMS the masked mobile
 * with a resend countdown, for the password card the two cells, for the e-token its challenge code.
 * The answer goes to POST /api/v1/transfers/{id}/authorize.
 */
export function AuthorizeStep({ transfer, authorization, onDone, onResend, onCancel }: Props) {
  const { t } = useTranslation('banking');
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [resending, setResending] = useState(false);
  /** Counts resends, so that the countdown restarts even if the server answered with the same id. */
  const [round, setRound] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const method = authorization.method;
  const challenge = authorization.challenge ?? {};
  const resendSeconds = typeof challenge.resendAfterSeconds === 'number' ? challenge.resendAfterSeconds : 60;
  const resendLeft = useCountdown(method === 'sms' ? resendSeconds : 0, `${transfer.id}:${round}`);
  const typed = TYPED.has(method);
  const mobile = text(challenge.maskedMobile) ?? text(challenge.destination) ?? text(challenge.mobile);
  const cells = Array.isArray(challenge.cells) ? challenge.cells.filter((cell) => typeof cell === 'string') : [];
  const tokenCode = text(challenge.challengeCode) ?? text(challenge.code);

  useEffect(() => inputRef.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const answer = code.trim();
    if (!answer) {
      setFieldError(t('auth.missingCode'));
      inputRef.current?.focus();
      return;
    }
    setFieldError(undefined);
    setError(undefined);
    setBusy(true);
    try {
      const result = await authorizeTransfer(transfer.id, method, answer);
      if (result.status === 'authorization_required') {
        setCode('');
        setError(undefined);
        setFieldError(t('auth.again'));
        inputRef.current?.focus();
      } else {
        onDone(result);
      }
    } catch (failure) {
      setError(failure);
      setCode('');
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  async function resend() {
    setResending(true);
    setError(undefined);
    try {
      await onResend();
      setRound((value) => value + 1);
      setCode('');
      inputRef.current?.focus();
    } catch (failure) {
      setError(failure);
    } finally {
      setResending(false);
    }
  }

  const label =
    method === 'sms'
      ? t('auth.smsLabel')
      : method === 'password_card'
        ? t('auth.passwordCardLabel')
        : method === 'e_token'
          ? t('auth.eTokenLabel')
          : t('auth.genericLabel');

  return (
    <form className="authorize" onSubmit={submit} noValidate aria-describedby="authorize-lead">
      <p id="authorize-lead" className="authorize__lead">
        {t('auth.lead', { medium: t(`auth.media.${method}`, { defaultValue: method }) })}
      </p>
      {method === 'sms' && (
        <div className="medium-box">
          <p>{mobile ? t('auth.smsSentTo', { mobile: maskMobile(mobile) }) : t('auth.smsSent')}</p>
          <p className="medium-box__meta tabular" data-testid="auth-resend-countdown">
            {resendLeft > 0 ? (
              t('auth.resendIn', { seconds: resendLeft })
            ) : (
              <Button
                variant="quiet"
                size="sm"
                onClick={() => void resend()}
                busy={resending}
                data-testid="auth-resend"
              >
                {t('auth.resend')}
              </Button>
            )}
          </p>
        </div>
      )}
      {method === 'password_card' && cells.length > 0 && (
        <div className="medium-box">
          <p>{t('auth.passwordCardLead')}</p>
          <p className="medium-box__cells" data-testid="auth-cells">
            {cells.map((cell) => (
              <span key={cell} className="medium-box__cell">
                {cell}
              </span>
            ))}
          </p>
        </div>
      )}
      {method === 'e_token' && tokenCode && (
        <div className="medium-box">
          <p>{t('auth.eTokenLead')}</p>
          <p className="medium-box__code tabular" data-testid="auth-token-code">
            {tokenCode}
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
          size="lg"
          inputMode="numeric"
          autoComplete={method === 'sms' ? 'one-time-code' : 'off'}
          maxLength={12}
          required
          testId="auth-code"
          className="authorize__code"
        />
      ) : (
        <Alert tone="info">{t('auth.notSupported')}</Alert>
      )}
      {error !== undefined && <ProblemAlert error={error} testId="auth-error" />}
      <div className="panel__actions">
        <Button variant="secondary" onClick={onCancel} disabled={busy}>
          {t('auth.cancel')}
        </Button>
        {typed && (
          <Button type="submit" size="lg" busy={busy} data-testid="auth-submit">
            {t('auth.submit')}
          </Button>
        )}
      </div>
    </form>
  );
}

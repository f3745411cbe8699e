import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/ApiError';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { CodeField } from '../../ui/CodeField';
import { BindingProblem } from './BindingProblem';
import { confirmTotpEnrolment, type Enrolment, otpauthSecret } from './mediaApi';

type Props = {
  enrolment: Enrolment;
  onActive: () => void;
  /** The token cannot be confirmed any more (locked by wrong codes, or gone): the binding starts over. */
  onFailed: (error: ApiError) => void;
  onCancel: () => void;
};

/** The soft token's codes: six digits (RFC 6238 as the server uses it, media/totp.ts). */
const CODE_DIGITS = 6;

/**
 * Steps 2 and 3 of binding an authenticator app: the new token's QR code, its `otpauth://` link and key
 * (shown this once), then the app's first code, which makes the token active (POST …/verify).
 */
export function TotpScanStep({ enrolment, onActive, onFailed, onCancel }: Props) {
  const { t } = useTranslation('banking');
  const secret = otpauthSecret(enrolment.otpauthUrl);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string>();
  const codeRef = useRef<HTMLInputElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  // The new step is announced from its title, so a screen reader starts with the QR code, not the field.
  useEffect(() => titleRef.current?.focus(), []);

  const confirm = useMutation({
    mutationFn: (answer: string) => confirmTotpEnrolment(enrolment.enrollmentId, answer),
    onSuccess: () => onActive(),
    onError: (error) => {
      if (error instanceof ApiError && (error.code === 'media.locked' || error.code === 'media.not_found')) {
        onFailed(error);
        return;
      }
      setCode('');
      setCodeError(t('security.totp.problems.codeWrong'));
      codeRef.current?.focus();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (confirm.isPending) return;
    if (code.length !== CODE_DIGITS) {
      setCodeError(t('security.totp.codeMissing'));
      codeRef.current?.focus();
      return;
    }
    setCodeError(undefined);
    confirm.mutate(code);
  }

  return (
    <div className="stack">
      <section className="totp__scan" aria-labelledby="totp-scan-title">
        <h3 id="totp-scan-title" className="totp__step-title" ref={titleRef} tabIndex={-1}>
          {t('security.totp.scanTitle')}
        </h3>
        <div className="totp__qr-row">
          <img
            className="totp__qr"
            src={enrolment.qr}
            alt={t('security.totp.qrAlt')}
            width={200}
            height={200}
            data-testid="totp-qr"
          />
          <div className="stack">
            <p className="totp__hint">
              <a href={enrolment.otpauthUrl} data-testid="totp-link" aria-describedby="totp-link-hint">
                {t('security.totp.link')}
              </a>
              <br />
              <span id="totp-link-hint">{t('security.totp.linkHint')}</span>
            </p>
            {secret && (
              <p className="totp__hint">
                {t('security.totp.secret')}
                <code className="totp__secret" data-testid="totp-secret">
                  {secret.replace(/(.{4})(?=.)/g, '$1 ')}
                </code>
              </p>
            )}
          </div>
        </div>
        <Alert tone="warning" live={false}>
          {t('security.totp.once')}
        </Alert>
      </section>
      <form className="stack" onSubmit={submit} noValidate aria-labelledby="totp-code-title">
        <h3 id="totp-code-title" className="totp__step-title">
          {t('security.totp.codeTitle')}
        </h3>
        <CodeField
          ref={codeRef}
          label={t('security.totp.codeLabel')}
          value={code}
          onChange={(value) => {
            setCode(value);
            setCodeError(undefined);
          }}
          error={codeError}
          digitsOnly
          maxLength={CODE_DIGITS}
          required
          testId="totp-first-code"
        />
        {confirm.isError && <BindingProblem error={confirm.error} testId="totp-verify-error" />}
        <div className="panel__actions">
          <Button variant="secondary" onClick={onCancel} disabled={confirm.isPending}>
            {t('security.totp.cancel')}
          </Button>
          <Button type="submit" busy={confirm.isPending} data-testid="totp-activate">
            {t('security.totp.activate')}
          </Button>
        </div>
      </form>
    </div>
  );
}

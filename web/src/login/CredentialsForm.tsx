import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/ApiError';
import { Button } from '../ui/Button';
import { PasswordField } from '../ui/PasswordField';
import { ProblemAlert, useProblemText } from '../ui/ProblemAlert';
import { TextField } from '../ui/TextField';
import { CaptchaField } from './CaptchaField';
import { type Channel, type Credentials, isCaptchaProblem, type LoginResult, login } from './loginApi';
import { useCaptcha } from './useCaptcha';

type Props = {
  channel: Channel;
  onResult: (result: LoginResult) => Promise<void>;
  /** `always`: the captcha is on the form from the start (web). `on-demand`: once the server asks (mobile). */
  captchaMode: 'always' | 'on-demand';
  identifierLabel: string;
  identifierPlaceholder?: string;
  identifierHint?: string;
  identifierType?: 'text' | 'tel';
  /** The message when the identifier is left empty; defaults to the web wording. */
  identifierMissing?: string;
  size?: 'md' | 'lg';
};

type FieldErrors = { identifier?: string; password?: string; captcha?: string };

/**
 * Identifier, password and captcha: the first step of every customer login. Failures show the server's
 * problem `detail` above the button; the captcha is replaced after each failure, since it is single-use.
 */
export function CredentialsForm({
  channel,
  onResult,
  captchaMode,
  identifierLabel,
  identifierPlaceholder,
  identifierHint,
  identifierType = 'text',
  identifierMissing,
  size = 'md',
}: Props) {
  const { t } = useTranslation();
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const problemText = useProblemText();
  const [captchaAnswer, setCaptchaAnswer] = useState('');
  const [captchaShown, setCaptchaShown] = useState(captchaMode === 'always');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const captcha = useCaptcha(captchaShown);
  const identifierRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const captchaRef = useRef<HTMLInputElement>(null);

  const signIn = useMutation({
    mutationFn: async (credentials: Credentials) => onResult(await login(credentials)),
    onError: handleFailure,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (signIn.isPending) return;
    const errors: FieldErrors = {};
    if (!identifier.trim()) errors.identifier = identifierMissing ?? t('login.missingIdentifier');
    if (!password) errors.password = t('login.missingPassword');
    setFieldErrors(errors);
    if (errors.identifier) return identifierRef.current?.focus();
    if (errors.password) return passwordRef.current?.focus();

    const answer = captchaAnswer.trim();
    signIn.mutate({
      identifier: identifier.replace(/\s+/g, ''),
      password,
      channel,
      ...(captchaShown && captcha.captchaId && answer ? { captchaId: captcha.captchaId, captchaAnswer: answer } : {}),
    });
  }

  function handleFailure(failure: unknown) {
    setCaptchaAnswer('');
    const wantsCaptcha =
      failure instanceof ApiError && (isCaptchaProblem(failure.code) || failure.extensions.captchaRequired === true);
    if (captchaShown) captcha.refresh();
    if (wantsCaptcha) {
      setCaptchaShown(true);
      // A wrong or missing captcha is said once, at the field; a wrong password that now needs a
      // captcha says both (the alert for the password, the field for the captcha).
      setFieldErrors({ captcha: isCaptchaFailure(failure) ? problemText(failure) : t('login.captchaRequired') });
      // Wait for the field to render before moving focus to it.
      requestAnimationFrame(() => captchaRef.current?.focus());
      return;
    }
    if (failure instanceof ApiError && failure.code === 'auth.invalid_credentials') {
      setPassword('');
      passwordRef.current?.focus();
    }
  }

  return (
    <form className="credentials" onSubmit={submit} noValidate aria-busy={signIn.isPending || undefined}>
      <TextField
        ref={identifierRef}
        label={identifierLabel}
        placeholder={identifierPlaceholder}
        hint={identifierHint}
        value={identifier}
        onChange={(event) => setIdentifier(event.target.value)}
        error={fieldErrors.identifier}
        size={size}
        type={identifierType}
        inputMode={identifierType === 'tel' ? 'numeric' : undefined}
        autoComplete="username"
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        maxLength={64}
        required
        testId="login-identifier"
        name="identifier"
      />
      <PasswordField
        ref={passwordRef}
        label={t('login.password')}
        placeholder={t('login.passwordPlaceholder')}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fieldErrors.password}
        size={size}
        autoComplete="current-password"
        maxLength={128}
        required
        testId="login-password"
        name="password"
      />
      {captchaShown && (
        <CaptchaField
          ref={captchaRef}
          captcha={captcha}
          value={captchaAnswer}
          onChange={setCaptchaAnswer}
          error={fieldErrors.captcha}
          size={size}
        />
      )}
      <div className="credentials__error">
        {signIn.isError && !isCaptchaFailure(signIn.error) && (
          <ProblemAlert error={signIn.error} testId="login-error" />
        )}
        {isResetOnline(signIn.error) && (
          // A locked sign-in or an expired temporary password is undone online: the message names
          // "Forgot password", so lead straight there.
          <p className="credentials__next">
            <Link to="/forgot-password" data-testid="login-locked-reset">
              {t('login.resetOnline')}
            </Link>
          </p>
        )}
      </div>
      <Button type="submit" size="lg" block busy={signIn.isPending} data-testid="login-submit">
        {signIn.isPending ? t('login.submitting') : t('login.submit')}
      </Button>
    </form>
  );
}

/** True for a refusal about the captcha itself (wrong, expired, missing), which the captcha field shows. */
function isCaptchaFailure(error: unknown): boolean {
  return error instanceof ApiError && isCaptchaProblem(error.code);
}

/** True for a refusal that "Forgot password" undoes: locked after too many wrong tries, or a temporary password too old. */
function isResetOnline(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.code === 'auth.locked' || error.code === 'auth.temporary_password_expired')
  );
}

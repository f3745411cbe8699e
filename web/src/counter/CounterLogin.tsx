import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { BrandMark } from '../ui/BrandMark';
import { KeyIcon, LockIcon, ShieldIcon, UserIcon } from '../ui/icons';
import { PasswordField } from '../ui/PasswordField';
import { ProblemAlert } from '../ui/ProblemAlert';
import { CodeField } from '../ui/CodeField';
import { TextField } from '../ui/TextField';
import { CounterHeader } from './CounterHeader';
import './keyMessages';
import { isWebAuthnCancel } from './staffKeysApi';

type Props = {
  onSignIn: (username: string, password: string, totp: string) => Promise<void>;
  /** Sign-in with password and the staff member's security key instead of the code. */
  onKeySignIn?: (username: string, password: string) => Promise<void>;
  /** Why the last session ended (idle timeout), told above the form. */
  notice?: string;
};

/**
 * Staff sign-in: staff ID, password and the TOTP code, or (the other choice) password and security key;
 * Enter submits from any field.
 */
export function CounterLogin({ onSignIn, onKeySignIn, notice }: Props) {
  const { t } = useTranslation('counter');
  const k = useTranslation('counterKeys').t;
  const [method, setMethod] = useState<'totp' | 'key'>('totp');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [missing, setMissing] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const totpRef = useRef<HTMLInputElement>(null);
  useDocumentTitle(`${t('login.title')} · ${t('system')}`);
  useEffect(() => usernameRef.current?.focus(), []);
  const signIn = useMutation({
    mutationFn: () =>
      method === 'key' && onKeySignIn
        ? onKeySignIn(username.trim(), password)
        : onSignIn(username.trim(), password, totp),
    onError: () => {
      setTotp('');
      if (method === 'totp') totpRef.current?.focus();
    },
  });
  const needsCode = method === 'totp';

  function submit(event: FormEvent) {
    event.preventDefault();
    if (signIn.isPending) return;
    if (!username.trim() || !password || (needsCode && !/^\d{6}$/.test(totp))) {
      setMissing(true);
      return;
    }
    setMissing(false);
    signIn.mutate();
  }

  return (
    <div className="c-login">
      <CounterHeader />
      <main className="c-login__main" id="main">
        <div className="c-login__panel">
          <aside className="c-login__aside on-dark" aria-labelledby="c-aside-title">
            <BrandMark size={48} />
            <p id="c-aside-title" className="c-login__aside-title">
              {t('system')}
            </p>
            <p className="c-login__aside-sub">{t('login.asideTitle')}</p>
            <ul className="c-login__rules">
              <li>
                <ShieldIcon size={16} />
                {t('login.rule1')}
              </li>
              <li>
                <KeyIcon size={16} />
                {t('login.rule2')}
              </li>
              <li>
                <UserIcon size={16} />
                {t('login.rule3')}
              </li>
            </ul>
          </aside>
          <form className="c-login__card" onSubmit={submit} noValidate aria-labelledby="c-login-title">
            <div className="c-login__head">
              <LockIcon size={22} className="c-login__icon" />
              <div>
                <h1 id="c-login-title" className="c-login__title">
                  {t('login.title')}
                </h1>
                <p className="c-login__lead">{t('login.lead')}</p>
              </div>
            </div>
            <TextField
              ref={usernameRef}
              label={t('login.username')}
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              autoComplete="username"
              autoCapitalize="off"
              spellCheck={false}
              required
              error={missing && !username.trim() ? (needsCode ? t('login.missing') : k('missing')) : undefined}
              testId="counter-username"
            />
            <PasswordField
              label={t('login.password')}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              autoComplete="current-password"
              required
              error={missing && !password ? (needsCode ? t('login.missing') : k('missing')) : undefined}
              testId="counter-password"
            />
            {onKeySignIn && (
              <fieldset className="c-login__method">
                <legend>{k('method')}</legend>
                {(['totp', 'key'] as const).map((choice) => (
                  <label key={choice} className="c-login__method-choice">
                    <input
                      type="radio"
                      name="counter-method"
                      value={choice}
                      checked={method === choice}
                      onChange={() => {
                        setMethod(choice);
                        signIn.reset();
                      }}
                      data-testid={`counter-method-${choice}`}
                    />
                    {k(choice)}
                  </label>
                ))}
              </fieldset>
            )}
            {needsCode ? (
              <CodeField
                ref={totpRef}
                label={t('login.totp')}
                hint={t('login.totpHint')}
                value={totp}
                onChange={setTotp}
                digitsOnly
                oneTimeCode
                pattern="\d{6}"
                maxLength={6}
                required
                className="c-login__totp"
                error={missing && !/^\d{6}$/.test(totp) ? t('login.missing') : undefined}
                testId="counter-totp"
              />
            ) : (
              <p className="c-login__key-hint" data-testid="counter-key-hint">
                <KeyIcon size={16} /> {signIn.isPending ? k('keyWaiting') : k('keyHint')}
              </p>
            )}
            {notice && !signIn.isError && (
              <Alert tone="warning" testId="counter-idle-ended">
                {notice}
              </Alert>
            )}
            {signIn.isError &&
              (isWebAuthnCancel(signIn.error) ? (
                <Alert tone="warning" testId="counter-error">
                  {k('keyCancelled')}
                </Alert>
              ) : (
                <ProblemAlert staff error={signIn.error} testId="counter-error" />
              ))}
            <Button type="submit" block busy={signIn.isPending} data-testid="counter-submit">
              {signIn.isPending ? t('login.submitting') : needsCode ? t('login.submit') : k('keySubmit')}
            </Button>
            <p className="c-login__notice">{t('login.notice')}</p>
          </form>
        </div>
      </main>
    </div>
  );
}

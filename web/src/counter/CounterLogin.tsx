import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Button } from '../ui/Button';
import { BrandMark } from '../ui/BrandMark';
import { KeyIcon, LockIcon, ShieldIcon, UserIcon } from '../ui/icons';
import { PasswordField } from '../ui/PasswordField';
import { ProblemAlert } from '../ui/ProblemAlert';
import { TextField } from '../ui/TextField';
import { CounterHeader } from './CounterHeader';

type Props = { onSignIn: (username: string, password: string, totp: string) => Promise<void> };

/** Staff sign-in: staff ID, password and the TOTP code; Enter submits from any field. */
export function CounterLogin({ onSignIn }: Props) {
  const { t } = useTranslation('counter');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const totpRef = useRef<HTMLInputElement>(null);
  useDocumentTitle(`${t('login.title')} · ${t('system')}`);
  useEffect(() => usernameRef.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!username.trim() || !password || !/^\d{6}$/.test(totp)) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setError(undefined);
    setBusy(true);
    try {
      await onSignIn(username.trim(), password, totp);
    } catch (failure) {
      setError(failure);
      setTotp('');
      totpRef.current?.focus();
    } finally {
      setBusy(false);
    }
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
              error={missing && !username.trim() ? t('login.missing') : undefined}
              testId="counter-username"
            />
            <PasswordField
              label={t('login.password')}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              autoComplete="current-password"
              required
              error={missing && !password ? t('login.missing') : undefined}
              testId="counter-password"
            />
            <TextField
              ref={totpRef}
              label={t('login.totp')}
              hint={t('login.totpHint')}
              value={totp}
              onChange={(event) => setTotp(event.target.value.replace(/\D/g, '').slice(0, 6))}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              maxLength={6}
              required
              className="c-login__totp"
              error={missing && !/^\d{6}$/.test(totp) ? t('login.missing') : undefined}
              testId="counter-totp"
            />
            {error !== undefined && <ProblemAlert error={error} testId="counter-error" />}
            <Button type="submit" block busy={busy} data-testid="counter-submit">
              {busy ? t('login.submitting') : t('login.submit')}
            </Button>
            <p className="c-login__notice">{t('login.notice')}</p>
          </form>
        </div>
      </main>
    </div>
  );
}

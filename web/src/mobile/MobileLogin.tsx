import { useMutation } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { ApiError } from '../api/ApiError';
import { useSession } from '../api/session';
import { rememberMobileSignedIn } from '../app/mobileHead';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { CredentialsForm } from '../login/CredentialsForm';
import { ChallengeStep, ChangePasswordStep, preloadLaterSteps } from '../login/laterSteps';
import { useLoginFlow } from '../login/useLoginFlow';
import { Alert } from '../ui/Alert';
import { BrandMark } from '../ui/BrandMark';
import { Button } from '../ui/Button';
import { LockIcon } from '../ui/icons';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { forgetPasskey, passkeyHere, platformPasskeysAvailable, signInWithPasskey } from './passkeyApi';

// Offered after a password sign-in only: it loads while the visitor types, with the steps after the password.
const loadPasskeyOffer = () => import('./PasskeyOffer');
const PasskeyOffer = lazy(async () => ({ default: (await loadPasskeyOffer()).PasskeyOffer }));
function preloadAfterPassword() {
  preloadLaterSteps();
  void loadPasskeyOffer().catch(() => undefined);
}

/** The phone login: mobile number and password, with large targets; then the same steps as the web. */
export function MobileLogin() {
  const { t } = useTranslation('mobile');
  const navigate = useNavigate();
  const session = useSession();
  const home = useCallback(() => navigate('/m/', { replace: true }), [navigate]);
  const [offer, setOffer] = useState(false);
  const viaPasskey = useRef(false);
  // After a password sign-in, a phone that can verify a fingerprint or face is offered it for next time.
  const goIn = useCallback(() => {
    if (viaPasskey.current || passkeyHere() !== null) return home();
    void platformPasskeysAvailable().then((available) => (available ? setOffer(true) : home()));
  }, [home]);
  const { step, advance, restart } = useLoginFlow(goIn);
  const [hasPasskey, setHasPasskey] = useState(() => passkeyHere() !== null);
  const oneTap = useMutation({
    mutationFn: async () => {
      viaPasskey.current = true;
      await advance(await signInWithPasskey());
    },
    onError: (error) => {
      viaPasskey.current = false;
      // The bank no longer knows this phone's passkey (turned off or the device forgotten elsewhere): drop the button.
      if (error instanceof ApiError && error.code === 'auth.passkey_failed') {
        forgetPasskey();
        setHasPasskey(false);
      }
    },
  });
  useDocumentTitle(t('appName'));
  useEffect(() => {
    if (session.data && !session.data.authenticated) rememberMobileSignedIn(false);
  }, [session.data]);

  if (!offer && session.data?.authenticated && step.kind === 'credentials') return <Navigate to="/m/" replace />;

  return (
    <div className="m-login">
      <header className="m-login__hero on-dark">
        <div className="m-login__bar">
          <LanguageSwitch className="lang-switch--on-dark" />
        </div>
        <BrandMark size={60} variant="tile" className="m-login__mark" />
        <p className="m-login__name">{t('appName')}</p>
        <p className="m-login__slogan">{t('brand.slogan', { ns: 'common' })}</p>
      </header>
      <main className="m-login__sheet" id="main" onFocus={preloadAfterPassword}>
        {!offer && step.kind === 'credentials' && (
          <>
            <h1 className="m-login__title">{t('login.title')}</h1>
            {hasPasskey && (
              <div className="stack m-login__passkey">
                <Button
                  size="lg"
                  block
                  busy={oneTap.isPending}
                  onClick={() => oneTap.mutate()}
                  data-testid="passkey-login"
                >
                  {t('passkey.login')}
                </Button>
              </div>
            )}
            {oneTap.error &&
              (oneTap.error instanceof ApiError ? (
                <ProblemAlert error={oneTap.error} testId="passkey-login-error" />
              ) : (
                <Alert tone="error" testId="passkey-login-error">
                  {t('passkey.loginFailed')}
                </Alert>
              ))}
            <CredentialsForm
              channel="mobile"
              captchaMode="on-demand"
              onResult={advance}
              identifierLabel={t('login.mobile')}
              identifierPlaceholder={t('login.mobilePlaceholder')}
              identifierType="tel"
              identifierMissing={t('login.missingMobile')}
              size="lg"
            />
            <p className="m-login__links">
              <Link to="/forgot-password">{t('login.forgot')}</Link>
              <Link to="/m/register" data-testid="m-login-register">
                {t('login.register')}
              </Link>
            </p>
          </>
        )}
        <Suspense fallback={<Spinner size={28} label={t('common.loading', { ns: 'common' })} />}>
          {offer && <PasskeyOffer onDone={home} />}
          {!offer && step.kind === 'challenge' && (
            <ChallengeStep
              attemptId={step.attemptId}
              challenge={step.challenge}
              alternatives={step.alternatives}
              onResult={advance}
              onCancel={restart}
              size="lg"
            />
          )}
          {!offer && step.kind === 'change_password' && (
            <ChangePasswordStep attemptId={step.attemptId} onResult={advance} onCancel={restart} size="lg" />
          )}
        </Suspense>
        <p className="m-login__notice">
          <LockIcon size={16} />
          <span>{t('login.notice')}</span>
        </p>
      </main>
    </div>
  );
}

import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { useSession } from '../api/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { ChallengeStep } from '../login/ChallengeStep';
import { ChangePasswordStep } from '../login/ChangePasswordStep';
import { CredentialsForm } from '../login/CredentialsForm';
import { useLoginFlow } from '../login/useLoginFlow';
import { BrandMark } from '../ui/BrandMark';
import { LockIcon } from '../ui/icons';

/** The phone login: mobile number and password, with large targets; then the same steps as the web. */
export function MobileLogin() {
  const { t } = useTranslation('mobile');
  const navigate = useNavigate();
  const session = useSession();
  const goIn = useCallback(() => navigate('/m/', { replace: true }), [navigate]);
  const { step, advance, restart } = useLoginFlow(goIn);
  useDocumentTitle(t('appName'));

  if (session.data?.authenticated && step.kind === 'credentials') return <Navigate to="/m/" replace />;

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
      <main className="m-login__sheet" id="main">
        {step.kind === 'credentials' && (
          <>
            <h1 className="m-login__title">{t('login.title')}</h1>
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
        {step.kind === 'challenge' && (
          <ChallengeStep
            attemptId={step.attemptId}
            challenge={step.challenge}
            alternatives={step.alternatives}
            onResult={advance}
            onCancel={restart}
            size="lg"
          />
        )}
        {step.kind === 'change_password' && (
          <ChangePasswordStep attemptId={step.attemptId} onResult={advance} onCancel={restart} size="lg" />
        )}
        <p className="m-login__notice">
          <LockIcon size={16} />
          <span>{t('login.notice')}</span>
        </p>
      </main>
    </div>
  );
}

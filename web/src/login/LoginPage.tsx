import { Suspense, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useRefreshSession, useSession } from '../api/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import type { SignedOutState } from '../banking/signOut';
import { Alert } from '../ui/Alert';
import { Spinner } from '../ui/Spinner';
import { CardIcon, LockIcon, PhoneIcon, QrIcon, ShieldIcon, TransferIcon } from '../ui/icons';
import { CredentialsForm } from './CredentialsForm';
import { ChallengeStep, ChangePasswordStep, preloadLaterSteps } from './laterSteps';
import { LoginTabs } from './LoginTabs';
import { MaintenanceNotice } from './MaintenanceNotice';
import { QrLogin } from './QrLogin';
import { useLoginFlow } from './useLoginFlow';
import './login.css';

/** Personal web banking's front door: the brand band, the login card and the safety advice. */
export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const signedOut = (location.state as SignedOutState | null)?.signOut;
  const session = useSession();
  const refreshSession = useRefreshSession();
  const [tab, setTab] = useState<'password' | 'qr'>('password');
  const goIn = useCallback(() => navigate('/accounts', { replace: true }), [navigate]);
  const { step, advance, restart } = useLoginFlow(goIn);
  const onQrApproved = useCallback(() => {
    void refreshSession()
      .catch(() => undefined)
      .then(goIn);
  }, [refreshSession, goIn]);
  useDocumentTitle(`${t('login.title')} · ${t('brand.name')}`);

  if (session.data?.authenticated && step.kind === 'credentials') return <Navigate to="/accounts" replace />;

  return (
    <div className="login-page">
      <section className="login-band" aria-labelledby="login-title">
        <div className="login-band__inner">
          <div className="login-band__copy on-dark">
            <p className="login-band__eyebrow">{t('brand.slogan')}</p>
            <p className="login-band__title">{t('login.heroTitle')}</p>
            <p className="login-band__lead">{t('login.heroLead')}</p>
            <ul className="login-band__features">
              <li>
                <span className="login-band__icon">
                  <ShieldIcon size={22} />
                </span>
                <span>
                  <strong>{t('login.featureSecurity')}</strong>
                  <span>{t('login.featureSecurityBody')}</span>
                </span>
              </li>
              <li>
                <span className="login-band__icon">
                  <TransferIcon size={22} />
                </span>
                <span>
                  <strong>{t('login.featureTransfer')}</strong>
                  <span>{t('login.featureTransferBody')}</span>
                </span>
              </li>
              <li>
                <span className="login-band__icon">
                  <PhoneIcon size={22} />
                </span>
                <span>
                  <strong>{t('login.featureMobile')}</strong>
                  <span>{t('login.featureMobileBody')}</span>
                </span>
              </li>
            </ul>
          </div>

          {/* biome-ignore lint/a11y/noStaticElementInteractions: focus inside the card only starts a download */}
          <div className="login-card" onFocus={preloadLaterSteps}>
            <h1 id="login-title" className="login-card__title">
              {t('login.title')}
            </h1>
            <MaintenanceNotice session={session.data} />
            {signedOut?.kind === 'idle' && step.kind === 'credentials' && (
              <Alert tone="warning" testId="session-expired">
                {t('session.expired')}
              </Alert>
            )}
            {signedOut?.kind === 'locked' && step.kind === 'credentials' && (
              <Alert tone="error" testId="signed-out-locked">
                <p>{signedOut.detail}</p>
                <p>
                  <Link to="/forgot-password">{t('login.resetOnline')}</Link>
                </p>
              </Alert>
            )}
            {step.kind === 'credentials' && (
              <LoginTabs
                label={t('login.tabsLabel')}
                selected={tab}
                onSelect={(id) => setTab(id as 'password' | 'qr')}
                tabs={[
                  { id: 'password', label: t('login.tabPassword'), icon: <CardIcon size={18} /> },
                  { id: 'qr', label: t('login.tabQr'), icon: <QrIcon size={18} /> },
                ]}
              >
                {tab === 'password' ? (
                  <CredentialsForm
                    channel="web"
                    captchaMode="always"
                    onResult={advance}
                    identifierLabel={t('login.identifier')}
                    identifierPlaceholder={t('login.identifierPlaceholder')}
                    identifierHint={t('login.identifierHint')}
                  />
                ) : (
                  <QrLogin onApproved={onQrApproved} />
                )}
              </LoginTabs>
            )}
            <Suspense fallback={<Spinner size={24} label={t('common.loading')} />}>
              {step.kind === 'challenge' && (
                <ChallengeStep
                  attemptId={step.attemptId}
                  challenge={step.challenge}
                  alternatives={step.alternatives}
                  onResult={advance}
                  onCancel={restart}
                />
              )}
              {step.kind === 'change_password' && (
                <ChangePasswordStep attemptId={step.attemptId} onResult={advance} onCancel={restart} />
              )}
            </Suspense>
            {step.kind === 'credentials' && (
              <p className="login-card__links">
                <Link to="/forgot-password" data-testid="login-forgot">
                  {t('login.forgot')}
                </Link>
                <Link to="/register" data-testid="login-register">
                  {t('login.register')}
                </Link>
              </p>
            )}
            <aside className="login-card__notice" aria-labelledby="security-notice-title">
              <LockIcon size={18} className="login-card__notice-icon" />
              <div>
                <h2 id="security-notice-title" className="login-card__notice-title">
                  {t('login.securityTitle')}
                </h2>
                <p>{t('login.securityBody')}</p>
              </div>
            </aside>
          </div>
        </div>
      </section>

      <section className="login-tips" aria-labelledby="tips-title">
        <h2 id="tips-title" className="login-tips__title">
          {t('login.tipsTitle')}
        </h2>
        <ol className="login-tips__list">
          {(['tip1', 'tip2', 'tip3'] as const).map((tip, index) => (
            <li key={tip} className="login-tips__item">
              <span className="login-tips__no tabular">{String(index + 1).padStart(2, '0')}</span>
              <h3>{t(`login.${tip}Title`)}</h3>
              <p>{t(`login.${tip}Body`)}</p>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

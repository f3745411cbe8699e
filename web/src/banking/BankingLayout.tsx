import './messages';
import './banking.css';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet } from 'react-router';
import { useSession } from '../api/session';
import { PageLoading } from '../app/PageStates';
import { IdleWarning } from './IdleWarning';
import { type SignedOutState, signOut } from './signOut';

/**
 * The frame of the logged-in pages (inside PersonalLayout's header and footer): the service navigation,
 * the page, and the idle-timeout warning. Visitors without a session go to the login page.
 */
export function BankingLayout() {
  const { t } = useTranslation('banking');
  const session = useSession();
  const authenticated = session.data?.authenticated === true;
  // A new sign-in forgets why the last session ended.
  useEffect(() => {
    if (authenticated) signOut.reason = undefined;
  }, [authenticated]);

  if (session.isPending) return <PageLoading />;
  if (!session.data?.authenticated) {
    const state: SignedOutState | undefined = signOut.reason && { signOut: signOut.reason };
    return <Navigate to="/" replace state={state} />;
  }

  const idleSeconds = session.data.idleTimeoutSeconds;
  return (
    <div className="app-page">
      <nav className="app-nav" aria-label={t('nav.label')}>
        <div className="app-nav__inner">
          <NavLink to="/accounts" className="app-nav__link" data-testid="nav-accounts">
            {t('nav.overview')}
          </NavLink>
          <NavLink to="/transfer" className="app-nav__link" data-testid="nav-transfer">
            {t('nav.transfer')}
          </NavLink>
          <NavLink to="/bills" className="app-nav__link" data-testid="nav-bills">
            {t('nav.bills')}
          </NavLink>
          <NavLink to="/security" className="app-nav__link" data-testid="nav-security">
            {t('nav.security')}
          </NavLink>
        </div>
      </nav>
      <div className="app-page__body">
        <Outlet />
      </div>
      {typeof idleSeconds === 'number' && idleSeconds > 0 && <IdleWarning timeoutSeconds={idleSeconds} />}
    </div>
  );
}

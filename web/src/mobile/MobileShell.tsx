import { type ComponentType, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../api/session';
import { rememberMobileSignedIn } from '../app/mobileHead';
import { PageLoading } from '../app/PageStates';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { BrandMark } from '../ui/BrandMark';
import { HomeIcon, MessageIcon, ScanIcon, TransferIcon, UserIcon } from '../ui/icons';
import { useUnreadMessages } from './messagesApi';

type Tab = {
  path: string;
  key: 'home' | 'transfer' | 'scan' | 'messages' | 'me';
  Icon: ComponentType<{ size?: number }>;
};

const TABS: Tab[] = [
  { path: '/m/', key: 'home', Icon: HomeIcon },
  { path: '/m/transfer', key: 'transfer', Icon: TransferIcon },
  { path: '/m/scan', key: 'scan', Icon: ScanIcon },
  { path: '/m/messages', key: 'messages', Icon: MessageIcon },
  { path: '/m/me', key: 'me', Icon: UserIcon },
];

/** The signed-in phone app: a top bar, the current tab, and the bottom tab bar. */
export function MobileShell() {
  const { t } = useTranslation('mobile');
  const session = useSession();
  const location = useLocation();
  const unread = useUnreadMessages()?.unreadCount ?? 0;
  useEffect(() => {
    if (session.data) rememberMobileSignedIn(session.data.authenticated === true);
  }, [session.data]);
  if (session.isPending) return <PageLoading />;
  if (!session.data?.authenticated) return <Navigate to="/m/login" replace />;

  const current =
    TABS.find((tab) => tab.path === location.pathname || `${tab.path}/` === location.pathname) ?? TABS[0]!;
  return (
    <div className="m-shell">
      <header className="m-topbar">
        <BrandMark size={28} />
        <p className="m-topbar__title">{current.key === 'home' ? t('appName') : t(`tabs.${current.key}`)}</p>
        <LanguageSwitch className="lang-switch--compact" />
      </header>
      <main className="m-content" id="main">
        <Outlet />
      </main>
      <nav className="m-tabbar" aria-label={t('tabs.label')}>
        {TABS.map(({ path, key, Icon }) => (
          <NavLink
            key={key}
            to={path}
            end
            className={key === 'scan' ? 'm-tabbar__tab m-tabbar__tab--scan' : 'm-tabbar__tab'}
            data-testid={`m-tab-${key}`}
          >
            <span className="m-tabbar__icon">
              <Icon size={key === 'scan' ? 26 : 24} />
              {key === 'messages' && unread > 0 && (
                <>
                  <span className="m-badge" data-testid="m-unread-badge" aria-hidden="true">
                    {unread > 99 ? '99+' : unread}
                  </span>
                  <span className="visually-hidden">{t('messages.badge', { count: unread })}</span>
                </>
              )}
            </span>
            <span className="m-tabbar__label">{t(`tabs.${key}`)}</span>
          </NavLink>
        ))}
      </nav>
    </div>
  );
}

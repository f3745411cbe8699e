import '../accounts/messages';
import './messages';
import './mobile.css';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { linkMobileManifest } from '../app/mobileHead';
import { PageLoading } from '../app/PageStates';
import { MobileHome } from './MobileHome';
import { MobileLogin } from './MobileLogin';
import { MobileShell } from './MobileShell';

// Every screen but the login, the shell and the home tab is loaded when first opened, so that the phone's
// first screen (the login page for a visitor) stays small: the transfer flow and the history are the
// web's own pages and widgets, registration brings the password rules and the agreement, Scan brings jsQR.
const MobileRegister = lazy(async () => ({ default: (await import('./MobileRegister')).MobileRegister }));
const MobileBindCard = lazy(async () => ({ default: (await import('./MobileBindCard')).MobileBindCard }));
const MobileScan = lazy(async () => ({ default: (await import('./MobileScan')).MobileScan }));
const MobileMe = lazy(async () => ({ default: (await import('./MobileMe')).MobileMe }));
const MobileTransfer = lazy(async () => ({ default: (await import('./MobileTransfer')).MobileTransfer }));
const MobileHistory = lazy(async () => ({ default: (await import('./MobileHistory')).MobileHistory }));
const MobileMessages = lazy(async () => ({ default: (await import('./MobileMessages')).MobileMessages }));
const MobileBills = lazy(async () => ({ default: (await import('./MobileBills')).MobileBills }));

const later = (element: ReactNode) => <Suspense fallback={<PageLoading />}>{element}</Suspense>;

/**
 * Registers the service worker whose scope is the mobile app (built by vite-plugin-pwa), once the page
 * has loaded: its precaching downloads the whole app shell, which must not compete with the first screen.
 */
function registerServiceWorker() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () =>
    navigator.serviceWorker.register('/sw.js', { scope: '/m/' }).catch((error: unknown) => {
      console.warn('service worker registration failed', error);
    });
  if (document.readyState === 'complete') window.setTimeout(register, 1000);
  else window.addEventListener('load', () => window.setTimeout(register, 1000), { once: true });
}

/** The mobile banking app under /m/: its own login, then a tab-bar shell. */
export function MobileApp() {
  useEffect(() => {
    linkMobileManifest();
    registerServiceWorker();
  }, []);
  return (
    <div className="m-app">
      <Routes>
        <Route path="login" element={<MobileLogin />} />
        <Route path="register" element={later(<MobileRegister />)} />
        <Route element={<MobileShell />}>
          <Route index element={<MobileHome />} />
          <Route path="transfer" element={later(<MobileTransfer />)} />
          <Route path="accounts/:id" element={later(<MobileHistory />)} />
          <Route path="scan" element={later(<MobileScan />)} />
          <Route path="messages" element={later(<MobileMessages />)} />
          <Route path="me" element={later(<MobileMe />)} />
          <Route path="bills" element={later(<MobileBills />)} />
          <Route path="bind-card" element={later(<MobileBindCard />)} />
        </Route>
        <Route path="*" element={<Navigate to="/m/" replace />} />
      </Routes>
    </div>
  );
}

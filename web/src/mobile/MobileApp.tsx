import '../accounts/messages';
import './messages';
import './mobile.css';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { linkMobileManifest } from '../app/mobileHead';
import { PageLoading } from '../app/PageStates';
import { MobileBindCard } from './MobileBindCard';
import { MobileHome } from './MobileHome';
import { MobileLogin } from './MobileLogin';
import { MobileMe } from './MobileMe';
import { MobileRegister } from './MobileRegister';
import { MobileScan } from './MobileScan';
import { MobileShell } from './MobileShell';

// The transfer flow and the history are the web's own pages and widgets: loaded when first opened, so
// the phone's first screen stays small.
const MobileTransfer = lazy(async () => ({ default: (await import('./MobileTransfer')).MobileTransfer }));
const MobileHistory = lazy(async () => ({ default: (await import('./MobileHistory')).MobileHistory }));
const MobileMessages = lazy(async () => ({ default: (await import('./MobileMessages')).MobileMessages }));

const later = (element: ReactNode) => <Suspense fallback={<PageLoading />}>{element}</Suspense>;

/** Registers the service worker whose scope is the mobile app (built by vite-plugin-pwa). */
function registerServiceWorker() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/m/' }).catch((error: unknown) => {
    console.warn('service worker registration failed', error);
  });
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
        <Route path="register" element={<MobileRegister />} />
        <Route element={<MobileShell />}>
          <Route index element={<MobileHome />} />
          <Route path="transfer" element={later(<MobileTransfer />)} />
          <Route path="accounts/:id" element={later(<MobileHistory />)} />
          <Route path="scan" element={<MobileScan />} />
          <Route path="messages" element={later(<MobileMessages />)} />
          <Route path="me" element={<MobileMe />} />
          <Route path="bind-card" element={<MobileBindCard />} />
        </Route>
        <Route path="*" element={<Navigate to="/m/" replace />} />
      </Routes>
    </div>
  );
}

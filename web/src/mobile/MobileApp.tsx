import '../accounts/messages';
import './messages';
import './mobile.css';
import { useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { linkMobileManifest } from '../app/mobileHead';
import { MobileBindCard } from './MobileBindCard';
import { MobileHome } from './MobileHome';
import { MobileLogin } from './MobileLogin';
import { MobileMe } from './MobileMe';
import { MobilePlaceholder } from './MobilePlaceholder';
import { MobileRegister } from './MobileRegister';
import { MobileScan } from './MobileScan';
import { MobileShell } from './MobileShell';

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
          <Route path="transfer" element={<MobilePlaceholder tab="transfer" />} />
          <Route path="scan" element={<MobileScan />} />
          <Route path="messages" element={<MobilePlaceholder tab="messages" />} />
          <Route path="me" element={<MobileMe />} />
          <Route path="bind-card" element={<MobileBindCard />} />
        </Route>
        <Route path="*" element={<Navigate to="/m/" replace />} />
      </Routes>
    </div>
  );
}

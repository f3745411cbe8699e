/**
 * The web app manifest belongs to the mobile app only (scope /m/), so it is linked from /m/ pages and
 * not from the personal login page, where a browser would otherwise offer to install the phone app.
 */
export function linkMobileManifest() {
  if (document.querySelector('link[rel="manifest"]')) return;
  const link = document.createElement('link');
  link.rel = 'manifest';
  link.href = '/pwa/manifest.webmanifest';
  document.head.append(link);
  const capable = document.createElement('meta');
  capable.name = 'mobile-web-app-capable';
  capable.content = 'yes';
  document.head.append(capable);
}

/** True when the page being loaded is part of the mobile app. */
export function isMobilePath(pathname: string): boolean {
  return pathname === '/m' || pathname.startsWith('/m/');
}

/** Where the phone app notes that it was last seen signed in (not a secret: the session cookie decides). */
export const MOBILE_SIGNED_IN_KEY = 'jinku.m.signedIn';

/**
 * Notes whether the phone app is signed in, so that index.html's shell script (vite.config.ts, appShell)
 * paints the login screen at /m/ only for visitors and not, for a moment, to a signed-in customer.
 */
export function rememberMobileSignedIn(signedIn: boolean) {
  try {
    if (signedIn) localStorage.setItem(MOBILE_SIGNED_IN_KEY, '1');
    else localStorage.removeItem(MOBILE_SIGNED_IN_KEY);
  } catch {
    // Without storage the login screen is painted first for everyone, as before the scripts knew better.
  }
}

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

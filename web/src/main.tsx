import './ui/theme.css';
import './i18n';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { fetchSession } from './api/client';
import { queryKeys } from './api/queryKeys';
import { isMobilePath, linkMobileManifest } from './app/mobileHead';
import { queryClient } from './app/queryClient';
import { AppRouter, preloadFirstPage } from './router';
// The login screens are painted by index.html before the scripts (vite.config.ts, appShell), so their
// stylesheets are the entry's, loaded with the page, and not with the chunks of their components.
import './login/personal.css';
import './login/login.css';
import './mobile/mobile.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

/**
 * What the first render needs, fetched before it: the page's chunk, and on the phone the session, so
 * that React replaces index.html's pre-painted login screen with the page itself and never with a
 * spinner. A visitor opening the phone app goes to its login at once instead of through a redirect.
 */
async function prepareFirstScreen(pathname: string) {
  const chunk = preloadFirstPage(pathname).catch(() => undefined);
  if (isMobilePath(pathname)) {
    linkMobileManifest();
    const session = await queryClient
      .fetchQuery({ queryKey: queryKeys.session, queryFn: fetchSession, staleTime: 30_000, retry: false })
      .catch(() => undefined);
    if (session && !session.authenticated && (pathname === '/m' || pathname === '/m/')) {
      window.history.replaceState(window.history.state, '', '/m/login');
    }
  }
  await chunk;
}

await prepareFirstScreen(window.location.pathname);

// A transition renders in slices of a few milliseconds, yielding between them: a slow phone stays
// responsive while the first page is built (Lighthouse's "total blocking time").
startTransition(() => {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <AppRouter />
      </QueryClientProvider>
    </StrictMode>,
  );
});

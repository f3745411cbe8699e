import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { StaticRouter } from 'react-router';
import { i18n, type Language } from '../../i18n';
import { AppRoutes, preloadFirstPage } from '../../router';

/** The addresses whose first screen index.html paints before any script runs, with their shell's name. */
export const SHELL_PAGES = [
  { shell: 'web', path: '/' },
  { shell: 'm', path: '/m/login' },
] as const;

/**
 * Renders the first screen of each page in SHELL_PAGES, in each language, to static HTML at build time
 * (vite.config.ts, appShell): the same components the browser renders, signed out, before any answer
 * from the server.
 */
export async function renderShells(): Promise<Array<{ shell: string; language: Language; html: string }>> {
  const shells: Array<{ shell: string; language: Language; html: string }> = [];
  for (const { shell, path } of SHELL_PAGES) {
    await preloadFirstPage(path);
    for (const language of ['zh-CN', 'en'] as const) {
      await i18n.changeLanguage(language);
      const html = renderToStaticMarkup(
        <QueryClientProvider client={new QueryClient()}>
          <StaticRouter location={path}>
            <AppRoutes />
          </StaticRouter>
        </QueryClientProvider>,
      );
      shells.push({ shell, language, html });
    }
  }
  return shells;
}

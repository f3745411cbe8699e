import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { createServer, defineConfig, type Plugin, type Rollup } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));
const apiProxy = { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } };
const distRoot = fileURLToPath(new URL('./web/dist', import.meta.url));

/**
 * Writes a Brotli (`.br`) and a gzip (`.gz`) copy beside every text asset of the build, which the server
 * sends to browsers that accept them (@fastify/static's `preCompressed`): a phone on slow 4G downloads a
 * quarter of the bytes, and the server spends no CPU compressing per request. Small files stay as they are.
 */
function precompress(): Plugin {
  const compressible = /\.(js|css|html|svg|webmanifest|json)$/;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return {
    name: 'jinku-precompress',
    apply: 'build',
    closeBundle: {
      order: 'post',
      handler() {
        for (const file of walk(distRoot)) {
          if (!compressible.test(file)) continue;
          const body = readFileSync(file);
          if (body.length < 1024) continue;
          writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
          writeFileSync(
            `${file}.br`,
            brotliCompressSync(body, {
              params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
            }),
          );
        }
      },
    },
  };
}

type ShellConfig = {
  /** The entry module and the chunks it imports, which Vite would have put into index.html's head. */
  entry: string;
  entryImports: string[];
  /** Which shell each address paints, and the chunks of its first page beyond the entry's. */
  paths: Record<string, string>;
  preload: Record<string, string[]>;
  /** Addresses whose shell is the login for visitors only: skipped when this storage key is set. */
  visitorsOnly: { key: string; paths: string[] };
};

/**
 * The first lines run in the browser, from a classic script right after the pre-rendered shells (so
 * before the first paint): puts the shell of this address and language into #root, where React's
 * first render replaces it; then loads the app. With a shell painted, the app's ~140 KB of JavaScript
 * are requested once that paint is on the screen, so that on slow 4G they do not share the line with
 * the HTML, the stylesheets and this script, which the paint waits for; without a shell, at once.
 * Serialised into the build (written as a plain function: no imports, no closures).
 */
function bootShell(config: ShellConfig) {
  const path = location.pathname;
  const shell = config.paths[path];
  const templates = document.querySelectorAll('template[data-shell]');
  let painted = false;
  if (shell) {
    let language = 'zh-CN';
    let signedIn = false;
    try {
      if (localStorage.getItem('jinku.lang') === 'en') language = 'en';
      signedIn = config.visitorsOnly.paths.includes(path) && localStorage.getItem(config.visitorsOnly.key) !== null;
    } catch {
      // Storage can be unavailable (private mode): the default language, as the app does.
    }
    const template = document.querySelector(`template[data-shell="${shell}-${language}"]`);
    const root = document.getElementById('root');
    if (!signedIn && template instanceof HTMLTemplateElement && root && !root.firstChild) {
      document.documentElement.lang = language;
      root.append(template.content.cloneNode(true));
      painted = true;
    }
  }
  for (const template of templates) template.remove();

  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    for (const href of [...config.entryImports, ...(shell ? (config.preload[shell] ?? []) : [])]) {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.crossOrigin = '';
      link.href = href;
      document.head.append(link);
    }
    const script = document.createElement('script');
    script.type = 'module';
    script.crossOrigin = '';
    script.src = config.entry;
    document.head.append(script);
  };
  if (!painted) return start();
  // Once the shell is on the screen (the browser's first contentful paint); the timer covers a tab in
  // the background, which does not paint, and a browser that does not report paints.
  setTimeout(start, 1000);
  try {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length === 0) return;
      observer.disconnect();
      start();
    });
    observer.observe({ type: 'paint', buffered: true });
  } catch {
    start();
  }
}

/** The chunks a dynamic import of `chunk` downloads: itself and its static imports, less what `loaded` holds. */
function chunkClosure(bundle: Rollup.OutputBundle, chunk: Rollup.OutputChunk, loaded: Set<string>): string[] {
  const files: string[] = [];
  const visit = (name: string) => {
    if (loaded.has(name) || files.includes(name)) return;
    files.push(name);
    const next = bundle[name];
    if (next?.type === 'chunk') for (const imported of next.imports) visit(imported);
  };
  visit(chunk.fileName);
  return files;
}

/**
 * Paints the login screens of `/` and `/m/` from index.html itself, before any script has arrived: the
 * real components rendered to static HTML at build time (web/src/app/shell/prerender.tsx), one
 * `<template>` per screen and language, and a classic script that shows the one this address needs.
 * A phone on slow 4G sees the page after the HTML and the stylesheets instead of after ~140 KB of
 * JavaScript and its evaluation. The copy is `inert` and hidden from assistive technology, without
 * ids or test ids: React's first render replaces it with the live page, laid out the same (no shift).
 */
function appShell(): Plugin {
  return {
    name: 'jinku-app-shell',
    apply: 'build',
    async writeBundle(options, bundle) {
      const outDir = options.dir ?? distRoot;
      const chunks = Object.values(bundle).filter((item): item is Rollup.OutputChunk => item.type === 'chunk');
      const entry = chunks.find((chunk) => chunk.isEntry);
      if (!entry) throw new Error('app shell: no entry chunk');
      const loaded = new Set(chunkClosure(bundle, entry, new Set()));
      // The chunks of the components a shell's page renders first, beyond what the entry loads.
      const preloads = (...sources: string[]) => {
        const files = new Set<string>();
        for (const source of sources) {
          const chunk = chunks.find((item) => item.moduleIds.some((id) => id.endsWith(source)));
          if (!chunk) throw new Error(`app shell: no chunk holds ${source}`);
          for (const file of chunkClosure(bundle, chunk, loaded)) files.add(`/${file}`);
        }
        return [...files];
      };
      const indexPath = join(outDir, 'index.html');
      let index = readFileSync(indexPath, 'utf8');
      // Vite's tags for the entry and its imports: the shell script adds them itself (bootShell).
      const entryTag = /\s*<script type="module" crossorigin src="([^"]+)"><\/script>/;
      const importTag = /\s*<link rel="modulepreload" crossorigin href="([^"]+)">/g;
      const entryPath = entryTag.exec(index)?.[1];
      if (!entryPath) throw new Error('app shell: index.html has no entry script');
      const entryImports = [...index.matchAll(importTag)].map((match) => match[1]!);
      index = index.replace(entryTag, '').replace(importTag, '');
      // The login screens' largest picture (the rosette behind the brand band, a CSS background, so found
      // only once the page is styled) is fetched with the stylesheets: it is the largest contentful paint.
      const rosette = Object.values(bundle).find((item) => /\/rosette-[^/]+\.svg$/.test(item.fileName));
      if (!rosette) throw new Error('app shell: the rosette is missing');
      index = index.replace('</head>', `  <link rel="preload" as="image" href="/${rosette.fileName}">\n  </head>`);
      const config: ShellConfig = {
        entry: entryPath,
        entryImports,
        paths: { '/': 'web', '/m': 'm', '/m/': 'm', '/m/login': 'm' },
        // The phone app's home: its login only for visitors (web/src/app/mobileHead.ts, rememberMobileSignedIn).
        visitorsOnly: { key: 'jinku.m.signedIn', paths: ['/m', '/m/'] },
        preload: {
          web: preloads('/login/PersonalLayout.tsx', '/login/LoginPage.tsx'),
          m: preloads('/mobile/MobileApp.tsx'),
        },
      };

      const server = await createServer({
        configFile: false,
        root: webRoot,
        logLevel: 'error',
        appType: 'custom',
        server: { middlewareMode: true, hmr: false, ws: false },
        plugins: [react()],
      });
      let shells: Array<{ shell: string; language: string; html: string }>;
      try {
        shells = await (await server.ssrLoadModule('/src/app/shell/prerender.tsx')).renderShells();
      } finally {
        await server.close();
      }
      const templates = shells.map(({ shell, language, html }) => {
        const still = html
          .replace(/ (id|for|data-testid|data-discover|aria-labelledby|aria-describedby|aria-controls)="[^"]*"/g, '')
          .replace(/^<([a-z]+)/, '<$1 inert aria-hidden="true"');
        return `<template data-shell="${shell}-${language}">${still}</template>`;
      });

      const script = `(${bootShell.toString()})(${JSON.stringify(config)});\n`;
      const scriptName = `assets/shell-${createHash('sha256').update(script).digest('hex').slice(0, 8)}.js`;
      writeFileSync(join(outDir, scriptName), script);
      if (!index.includes('<div id="root"></div>')) throw new Error('app shell: index.html has no empty #root');
      writeFileSync(
        indexPath,
        index.replace(
          '<div id="root"></div>',
          `<div id="root"></div>\n    ${templates.join('\n    ')}\n    <script src="/${scriptName}"></script>`,
        ),
      );
    },
  };
}

/**
 * One single-page app serves three areas: personal banking at `/`, the mobile PWA at `/m/` and the
 * teller console at `/counter/`. The server serves `web/dist` and falls back to its index.html.
 */
export default defineConfig({
  root: webRoot,
  publicDir: 'public',
  build: {
    outDir: distRoot,
    emptyOutDir: true,
    target: 'es2022',
    // Inlined assets would become data: URLs; keep them as files so the CSP stays simple to reason about.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        // Libraries change rarely: keep them out of the app's own chunks so a deploy of Jinku's code does
        // not make every browser download React again, and so the login chunk holds only login code.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/,
              priority: 20,
            },
            { name: 'qrcode', test: /node_modules[\\/](qrcode|dijkstrajs|pngjs|encode-utf8)[\\/]/, priority: 15 },
            { name: 'vendor', test: /node_modules[\\/](i18next|react-i18next|@tanstack)[\\/]/, priority: 10 },
            // Jinku's own shared code (UI kit, API client, i18n), used by the login page and every area.
            { name: 'shared', test: /web[\\/]src[\\/](ui|api|i18n|app)[\\/]/, priority: 5 },
          ],
        },
      },
    },
  },
  server: { proxy: apiProxy },
  preview: { proxy: apiProxy },
  plugins: [
    react(),
    // The manifest is hand-written (web/public/pwa/manifest.webmanifest) and linked only on /m/ pages, so
    // the plugin only generates the service worker, registered with scope /m/. Nothing is emitted under
    // dist/m/: /m/ is a client route, and a real directory there would shadow the server's SPA fallback.
    appShell(),
    VitePWA({
      strategies: 'generateSW',
      manifest: false,
      injectRegister: false,
      filename: 'sw.js',
      scope: '/m/',
      workbox: {
        globPatterns: ['index.html', 'assets/*.{js,css,svg,png}', 'pwa/icons/*.{png,svg}', 'pwa/manifest.webmanifest'],
        // The teller console is never used from the phone app: do not make phones download it.
        globIgnores: ['assets/counter-*', 'assets/Counter*'],
        // Precache URLs are resolved against the worker's own URL: make them absolute, wherever it lives.
        modifyURLPrefix: { '': '/' },
        navigateFallback: '/index.html',
        navigateFallbackAllowlist: [/^\/m(\/|$)/],
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        // Banking data is never cached by the worker: API calls always go to the network (network-only,
        // no cache to fall back on), and e2e/pwa.spec.ts checks no /api/ answer lands in Cache Storage.
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/api/'),
            handler: 'NetworkOnly',
          },
        ],
      },
    }),
    precompress(),
  ],
});

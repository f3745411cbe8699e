import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
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

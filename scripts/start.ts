import { ensureWebBuilt } from './web-build.ts';

/** `npm start`: build the web app if it is missing or stale, then run the server in this process. */
await ensureWebBuilt();
await import('../server/src/main.ts');

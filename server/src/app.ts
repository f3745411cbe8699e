import { Type } from 'typebox';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import helmet from 'helmet';
import {
  maintenanceGuard,
  registerLoginRoutes,
  registerPasskeyLoginRoutes,
  registerPasskeyRoutes,
  registerQrLoginRoutes,
  registerSecurityRoutes,
} from './auth/index.ts';
import { registerBillRoutes } from './bills/index.ts';
import { registerCorporateRoutes } from './corporate/index.ts';
import { registerCounterRoutes } from './counter/index.ts';
import { registerAccountRoutes } from './customers/index.ts';
import { registerMediaRoutes } from './media/index.ts';
import { registerGatewayRoutes } from './merchants/index.ts';
import { registerDevOutbox, registerMessageRoutes } from './notify/index.ts';
import { registerPaymentRoutes } from './payments/index.ts';
import { registerRegistrationRoutes } from './registration/index.ts';
import type { AppContext } from './platform/context.ts';
import { registerDevClock } from './platform/dev-clock.ts';
import { AppError } from './platform/errors.ts';
import { clientErrorHandler, frameworkErrorHandler } from './platform/http/client-error.ts';
import { checkCsrf } from './platform/http/csrf.ts';
import { registerHealth } from './platform/http/health.ts';
import { createLoggers, newRequestId } from './platform/http/logging.ts';
import { type MetricsAccess, registerMetrics } from './platform/http/metrics.ts';
import { noStoreForApi } from './platform/http/no-store.ts';
import { handleError, problemFor, sendProblem } from './platform/http/problem.ts';
import { registerWebApp } from './platform/http/static.ts';
import type { App } from './platform/http/types.ts';
import { requestValidatorCompiler } from './platform/http/validation.ts';

export type RouteEntry = { method: string; url: string };

const API_INTRODUCTION = [
  'The HTTP API of Jinku (金库), online banking for a Chinese retail bank: personal web and mobile banking,',
  'the counter, merchants and corporate clients. The contract that integrators rely on is summarised in',
  "the project's API.md; this page is generated from the schemas that validate every request and answer.",
  '',
  '- Sessions are cookies (`jinku_sid` for customers, `jinku_staff_sid` for staff); browser requests that',
  '  change state send `X-CSRF-Token` from `GET /api/v1/session` (or `/api/v1/counter/session`).',
  '- Money is `{"amount": "1234.56", "currency": "CNY"}`: decimal strings, never numbers.',
  '- Errors are RFC 9457 `application/problem+json` with a stable `code`; `detail` follows `Accept-Language`.',
  '- Requests that move money accept `Idempotency-Key`.',
].join('\n');

/**
 * The API docs page's own policy: as strict as the app's, plus the one `<style>` element Swagger UI
 * inserts (allowed by its hash, so no other inline style runs; the docs e2e test fails if an upgrade
 * changes it).
 */
const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='",
  "form-action 'self'",
].join('; ');

declare module 'fastify' {
  interface FastifyInstance {
    /** Every registered route, for the test that sends garbage to each of them. */
    jinkuRoutes: RouteEntry[];
  }
}

export type BuildAppOptions = {
  /** Where log lines go (tests capture them); the config's level applies. */
  logStream?: NodeJS.WritableStream;
};

/** Assembles the HTTP app without listening (main.ts listens; tests use inject or a real port). */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<App> {
  const { config } = ctx;
  const loggers = createLoggers(config.logLevel, options.logStream);
  const app = Fastify({
    ...(loggers ? { loggerInstance: loggers.app } : { logger: false }),
    genReqId: newRequestId,
    // One line per request, written when it ends (Fastify's default is two): half the log I/O.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  app.setValidatorCompiler(requestValidatorCompiler());

  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  app.decorate('jinkuRoutes', routes);
  app.setErrorHandler(handleError);
  app.addHook('onResponse', async (request, reply) => {
    loggers?.access.info(
      {
        reqId: request.id,
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ip: request.ip,
      },
      'request',
    );
  });
  // The API speaks JSON only. Without a text/plain parser, the body type an HTML form can send across
  // sites without a CORS preflight is refused with 415 before any route sees it.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifyCookie);
  // helmet's headers, computed once: @fastify/helmet rebuilt them (parsing the CSP) on every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        manifestSrc: ["'self'"],
        workerSrc: ["'self'"],
        upgradeInsecureRequests: config.env === 'production' ? [] : null,
      },
    },
    strictTransportSecurity: config.env === 'production',
    // frame-ancestors 'none' above says it for every browser that matters; X-Frame-Options is redundant.
    xFrameOptions: false,
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
  );
  await app.register(fastifyRateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // A coarse per-instance flood guard; the security-relevant throttles (login, OTP) are kept in the
    // database so they hold across instances.
    allowList: (request) => request.url === '/livez' || request.url === '/readyz' || request.url === '/metrics',
    errorResponseBuilder: (_request, context) => {
      const error = new AppError('request.rate_limited', {}, { retryAfterSeconds: Math.ceil(context.ttl / 1000) });
      return error;
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Jinku (金库) API',
        version: '1',
        description: API_INTRODUCTION,
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'jinku_sid' },
          staffSession: { type: 'apiKey', in: 'cookie', name: 'jinku_staff_sid' },
        },
      },
    },
  });
  // Production publishes its API description only when asked (issue 13, item 7).
  if (config.publicDocs) {
    await app.register(fastifySwaggerUi, {
      routePrefix: '/api/docs',
      staticCSP: DOCS_CSP,
      theme: { title: 'Jinku API' },
      // The validator badge would fetch an image from validator.swagger.io: the page stays on this host.
      uiConfig: { validatorUrl: null },
    });
    // The OpenAPI document describes itself only loosely: any JSON object.
    app.get(
      '/api/openapi.json',
      { schema: { hide: true, response: { 200: Type.Object({}, { additionalProperties: true }) } } },
      async () => app.swagger(),
    );
  }

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/')) checkCsrf(request, config.secret);
  });
  app.addHook('onRequest', maintenanceGuard(ctx));
  noStoreForApi(app);
  registerMetrics(app, () => ctx.db.poolStats(), metricsAccess(config), ctx.db.kysely);
  registerHealth(app, ctx);
  if (config.env !== 'production') {
    registerDevClock(app, ctx);
    registerDevOutbox(app, ctx);
  }
  for (const register of domainRoutes) await register(app, ctx);

  const hasWebApp = await registerWebApp(app);
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isPage = request.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path);
    if (hasWebApp && isPage) return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    return sendProblem(reply, problemFor(request, 'request.not_found', 404));
  });
  return app;
}

function metricsAccess(config: AppContext['config']): MetricsAccess {
  if (config.metricsToken) return { kind: 'token', token: config.metricsToken };
  return config.env === 'production' ? { kind: 'off' } : { kind: 'open' };
}

/** Each domain's routes; a domain adds its register function here. */
const domainRoutes: Array<(app: App, ctx: AppContext) => Promise<void> | void> = [
  registerLoginRoutes,
  registerQrLoginRoutes,
  registerPasskeyLoginRoutes,
  registerSecurityRoutes,
  registerMediaRoutes,
  registerPasskeyRoutes,
  registerAccountRoutes,
  registerPaymentRoutes,
  registerRegistrationRoutes,
  registerCounterRoutes,
  registerCorporateRoutes,
  registerGatewayRoutes,
  registerBillRoutes,
  registerMessageRoutes,
];

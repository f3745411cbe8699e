import type { FastifyReply } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { pickLanguage } from '../platform/errors.ts';
import { requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import {
  approveQrLogin,
  createQrLogin,
  denyQrLogin,
  QR_HANDOVER_GRACE_MS,
  QR_TTL_MS,
  scanQrLogin,
  waitForQrLogin,
} from './qr-login.ts';
import { QrApproveBody, QrCreated, QrParams, QrPollQuery, QrScanAnswer, QrStateAnswer } from './qr-schema.ts';
import { clientOf, setSessionCookie } from './routes.ts';

/** The cookie holding the creating browser's secret, one per request (its path is the request's). */
export const QR_COOKIE = 'jinku_qr';
const QR_COOKIE_MAX_AGE_SECONDS = Math.ceil((QR_TTL_MS + QR_HANDOVER_GRACE_MS) / 1000) + 10;

const qrPath = (qrId: string) => `/api/v1/auth/qr/${qrId}`;

function setQrCookie(reply: FastifyReply, ctx: AppContext, qrId: string, secret: string) {
  // Scoped to this request's path: several tabs each keep their own, and no other route ever sees it.
  reply.setCookie(QR_COOKIE, secret, {
    path: qrPath(qrId),
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.env === 'production',
    maxAge: QR_COOKIE_MAX_AGE_SECONDS,
  });
}

/** QR login's HTTP face (API.md, "Session and login"): the browser's two routes and the phone's three. */
export async function registerQrLoginRoutes(app: App, ctx: AppContext) {
  await app.register(browserRoutes(ctx));
  await app.register(phoneRoutes(ctx));
}

function browserRoutes(ctx: AppContext) {
  return async function qrBrowserRoutes(app: App) {
    app.post(
      '/api/v1/auth/qr',
      {
        schema: {
          tags: ['session'],
          summary: 'A QR login request for this browser (shown as a QR code with a two-digit number)',
          description:
            'The request lives 2 minutes and is bound to this browser by an HttpOnly cookie; ask a new one before ' +
            '`expiresAt`. No customer data is ever in its answers before the phone approves.',
          response: { 200: QrCreated },
        },
      },
      async function postQr(request, reply) {
        const { created, browserSecret } = await createQrLogin(ctx, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        setQrCookie(reply, ctx, created.qrId, browserSecret);
        return created;
      },
    );

    app.get(
      '/api/v1/auth/qr/:qrId',
      {
        schema: {
          tags: ['session'],
          summary: 'Where a QR login stands (only the browser that asked for it)',
          description:
            'With `after=pending|scanned` the answer waits up to 20 s for the state to change (long polling). ' +
            'On the first `approved` answer the browser receives its session cookie; later answers carry none.',
          params: QrParams,
          querystring: QrPollQuery,
          response: { 200: QrStateAnswer },
        },
      },
      async function getQr(request, reply) {
        const { qrId } = request.params;
        const client = clientOf(request, reply, ctx, 'web');
        const result = await waitForQrLogin(
          ctx,
          qrId,
          request.cookies[QR_COOKIE],
          client,
          request.query.after,
          () => request.raw.socket?.destroyed === true,
        );
        if (result.session) setSessionCookie(reply, ctx, result.session.token);
        return { state: result.state };
      },
    );
  };
}

function phoneRoutes(ctx: AppContext) {
  return async function qrPhoneRoutes(app: App) {
    app.addHook('preHandler', requireCustomer());
    const who = (request: { customerId: string; sessionId: string }) => ({
      customerId: request.customerId,
      sessionId: request.sessionId,
    });

    app.post(
      '/api/v1/auth/qr/:qrId/scan',
      {
        schema: {
          tags: ['session'],
          summary: 'The signed-in mobile app scanned a QR login code: who asked, and three numbers to pick from',
          params: QrParams,
          response: { 200: QrScanAnswer },
        },
      },
      async function postQrScan(request, reply) {
        return scanQrLogin(
          ctx,
          request.params.qrId,
          who(request),
          clientOf(request, reply, ctx, 'mobile'),
          pickLanguage(request.headers['accept-language']),
        );
      },
    );

    app.post(
      '/api/v1/auth/qr/:qrId/approve',
      {
        schema: {
          tags: ['session'],
          summary: 'Approve a scanned QR login with the number the computer shows (a wrong number denies it)',
          description:
            'When the mobile session is older than 5 minutes, `password` (the login password) is required too ' +
            '(403 `auth.qr_password_required` without it); a wrong one counts towards the login lock.',
          params: QrParams,
          body: QrApproveBody,
          response: { 200: QrStateAnswer },
        },
      },
      async function postQrApprove(request, reply) {
        const client = clientOf(request, reply, ctx, 'mobile');
        return approveQrLogin(ctx, request.params.qrId, who(request), request.body, client);
      },
    );

    app.post(
      '/api/v1/auth/qr/:qrId/deny',
      {
        schema: {
          tags: ['session'],
          summary: 'Decline a scanned QR login',
          params: QrParams,
          response: { 200: QrStateAnswer },
        },
      },
      async function postQrDeny(request, reply) {
        return denyQrLogin(ctx, request.params.qrId, who(request), clientOf(request, reply, ctx, 'mobile'));
      },
    );
  };
}

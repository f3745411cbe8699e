import { Type } from 'typebox';
import type { AppContext } from '../platform/context.ts';
import type { App } from '../platform/http/types.ts';
import { finishPasskeyLogin, startPasskeyLogin } from './passkey-login.ts';
import { clientOf, setSessionCookie } from './routes.ts';
import { PasskeyLoginBody, PasskeyLoginStarted, PasskeyVerifyBody } from './passkey-schema.ts';
import { AttemptParams, LoginAnswer } from './schema.ts';

/** Fingerprint / face sign-in's routes (API.md, "Session and login"). */
export function registerPasskeyLoginRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/auth/passkey',
    {
      schema: {
        tags: ['session'],
        summary: 'Start a fingerprint / face sign-in: the WebAuthn request options for any passkey of this bank',
        body: Type.Optional(PasskeyLoginBody),
        response: { 200: PasskeyLoginStarted },
      },
    },
    function postPasskeyLogin(request, reply) {
      return startPasskeyLogin(ctx, clientOf(request, reply, ctx, request.body?.channel ?? 'mobile'));
    },
  );

  app.post(
    '/api/v1/auth/passkey/:attemptId/verify',
    {
      schema: {
        tags: ['session'],
        summary: "Finish a fingerprint / face sign-in with the phone's assertion (no SMS step-up)",
        description:
          'Each attempt is answered once. A wrong, unknown, turned-off or replayed credential: 401 `auth.passkey_failed`.',
        params: AttemptParams,
        body: PasskeyVerifyBody,
        response: { 200: LoginAnswer },
      },
    },
    async function postPasskeyVerify(request, reply) {
      const client = clientOf(request, reply, ctx, 'mobile');
      const outcome = await finishPasskeyLogin(ctx, request.params.attemptId, request.body.credential, client);
      ctx.kickOutbox();
      if (outcome.state !== 'authenticated') return outcome;
      setSessionCookie(reply, ctx, outcome.session.token);
      return { state: outcome.state, customer: outcome.customer };
    },
  );
}

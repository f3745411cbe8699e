import { AppError, messageFor } from '../platform/errors.ts';
import type { AppContext } from '../platform/context.ts';
import type { App } from '../platform/http/types.ts';
import { gatewayApi } from './api.ts';
import { registerCheckoutRoutes } from './checkout-routes.ts';
import { registerDemoShopRoutes } from './demo-shop-routes.ts';
import { merchantErrors } from './errors.ts';
import { GatewayApiAnswer, GatewayErrorPage, GatewayForm, PublicKeyPem, PublicKeyQuery, SeeOther } from './schema.ts';
import { bankPublicKey, pagePay } from './service.ts';

const tags = ['gateway'];
const FORM_BODY_LIMIT = 64 * 1024;

/**
 * The merchant gateway's public routes (API.md "Merchant gateway"). They live outside /api/ (no session,
 * no CSRF token: the merchant's page posts a signed form across sites, and the signature is the
 * authority). Form bodies are parsed in this scope only; the rest of the app stays JSON-only.
 */
export async function registerGatewayRoutes(app: App, ctx: AppContext): Promise<void> {
  const db = ctx.db.kysely;
  const deps = { config: ctx.config, clock: ctx.clock };
  registerCheckoutRoutes(app, ctx);

  app.get(
    '/gateway/v1/public-key',
    {
      schema: {
        tags,
        summary: "The bank's public key for verifying Jinku's signatures",
        description:
          'The current key, or `?version=` a replaced one for 7 days after its rotation; the ' +
          '`Jinku-Sign-Key-Version` header names the version (signed answers carry `sign_key_version`).',
        querystring: PublicKeyQuery,
        response: { 200: PublicKeyPem },
      },
    },
    async (request, reply) => {
      const version = request.query.version === undefined ? undefined : Number(request.query.version);
      const key = await bankPublicKey(db, deps, version);
      if (!key) throw new AppError(merchantErrors['gateway.key_version_unknown']);
      return reply
        .type('text/plain; charset=utf-8')
        .header('jinku-sign-key-version', String(key.version))
        .send(key.pem);
    },
  );

  const duplicateFields = new WeakMap<object, string>();
  await app.register(async (scope: App) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
      (request, body, done) => {
        const params: Record<string, string> = Object.create(null);
        for (const [name, value] of new URLSearchParams(String(body))) {
          // A field sent twice is ambiguous to sign: refused with the route's own error page (an error raised
          // here would be rendered as problem+json through the page's HTML schema, "[object Object]").
          if (name in params) {
            duplicateFields.set(request, name);
            return done(null, undefined);
          }
          params[name] = value;
        }
        done(null, { ...params });
      },
    );
    scope.post(
      '/gateway/v1/pay',
      {
        schema: {
          tags,
          summary: 'Page pay: the merchant page posts a signed order; the browser goes on to the checkout',
          consumes: ['application/x-www-form-urlencoded'],
          body: GatewayForm,
          response: { 303: SeeOther, 400: GatewayErrorPage },
        },
        attachValidation: true,
      },
      async (request, reply) => {
        if (request.validationError || !request.body) {
          const field = duplicateFields.get(request) ?? 'body';
          const html = errorPage(merchantErrors['gateway.param_invalid'], { field });
          return reply.code(400).type('text/html; charset=utf-8').send(html);
        }
        try {
          const order = await pagePay(db, deps, request.body, { ip: request.ip });
          return reply.code(303).header('location', `/pay/${order.tradeNo}`).send(null);
        } catch (error) {
          if (error instanceof AppError && error.registered && error.code.startsWith('gateway.')) {
            request.log.info({ code: error.code, appId: request.body.app_id }, 'gateway request refused');
            return reply.code(400).type('text/html; charset=utf-8').send(errorPage(error.code, error.params));
          }
          throw error;
        }
      },
    );
    // The demo shop plays a merchant on this server, outside production only (API.md).
    if (ctx.config.env !== 'production') registerDemoShopRoutes(scope, ctx);
    scope.post(
      '/gateway/v1/api',
      {
        schema: {
          tags,
          summary: "The merchant's server: query, close and refund orders (signed form in, signed JSON out)",
          consumes: ['application/x-www-form-urlencoded'],
          body: GatewayForm,
          response: { 200: GatewayApiAnswer },
        },
        attachValidation: true,
      },
      async (request, reply) => {
        const params = request.validationError || !request.body ? null : request.body;
        const text = await gatewayApi(db, deps, params, { ip: request.ip });
        return reply.type('application/json; charset=utf-8').send(text);
      },
    );
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The plain bilingual HTML page of a refused gateway request. */
function errorPage(code: string, params: Readonly<Record<string, string | number>>): string {
  const zh = escapeHtml(messageFor(code, 'zh-CN', { ...params }) ?? code);
  const en = escapeHtml(messageFor(code, 'en', { ...params }) ?? code);
  const body = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>支付请求无效 · Payment request refused — 金库银行</title></head>
<body><main>
<h1>支付请求无效</h1><p>${zh}</p><p>请返回商户网站重新下单。未创建订单，未扣款。</p>
<h2 lang="en">Payment request refused</h2><p lang="en">${en}</p>
<p lang="en">Please go back to the shop and try again. No order was made and nothing was charged.</p>
<p><small>${escapeHtml(code)}</small></p>
</main></body></html>`;
  return body;
}

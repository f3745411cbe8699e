import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { chinaDateTime } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import type { App } from '../platform/http/types.ts';
import {
  DEMO_PRODUCT,
  DEMO_SHOP_NAME,
  type DemoNotify,
  demoNotifications,
  demoOrderForm,
  receiveDemoNotify,
  verifyDemoReturn,
} from './demo-shop.ts';
import { GatewayForm } from './schema.ts';

const tags = ['dev'];
const Html = Type.String({ description: 'text/html' });

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The origin the browser used, so the shop's notify and return URLs come back to this server. */
function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function page(title: string, body: string, options: { refreshSeconds?: number } = {}): string {
  const refresh = options.refreshSeconds ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">` : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}<title>${escapeHtml(title)} · ${DEMO_SHOP_NAME}</title><link rel="stylesheet" href="/dev/shop/shop.css"></head>
<body><header><strong>${DEMO_SHOP_NAME}</strong> <span lang="en">Jinku demo shop</span>
<small>演示商户，仅用于非生产环境 · demo merchant, outside production only</small></header>
<main>${body}</main></body></html>`;
}

function notifyList(items: DemoNotify[]): string {
  if (items.length === 0)
    return '<p data-testid="shop-notify-none">尚未收到金库的异步通知 · no notification from Jinku yet</p>';
  const rows = items
    .map(
      (n) => `<li data-testid="shop-notify" data-status="${escapeHtml(n.tradeStatus)}" data-verified="${n.verified}">
<span>${escapeHtml(chinaDateTime(n.receivedAtMs))}</span> <code>${escapeHtml(n.outTradeNo)}</code>
<strong>${escapeHtml(n.tradeStatus)}</strong> ¥ ${escapeHtml(n.totalAmount)}${n.refundAmount ? ` · 已退款 ¥ ${escapeHtml(n.refundAmount)}` : ''}
${n.verified ? '<span class="ok">签名已验证 · signature verified</span>' : '<span class="bad">签名无效 · signature invalid</span>'}</li>`,
    )
    .join('\n');
  return `<ul class="notifies">${rows}</ul>`;
}

const CSS = `body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f3ee}
header{background:#2d6a4f;color:#fff;padding:12px 16px;display:flex;gap:12px;flex-wrap:wrap;align-items:baseline}
main{max-width:640px;margin:0 auto;padding:16px}
.product{background:#fff;border-radius:12px;padding:20px;display:flex;flex-direction:column;gap:12px}
.price{font-size:2rem;font-weight:700;font-variant-numeric:tabular-nums}
button,.button{background:#b3261e;color:#fff;border:0;border-radius:8px;padding:14px 20px;font-size:1.05rem;min-height:44px;cursor:pointer;text-decoration:none;display:inline-block}
.notifies{list-style:none;padding:0;display:flex;flex-direction:column;gap:8px}
.notifies li{background:#fff;border-radius:8px;padding:10px;overflow-wrap:anywhere}
.ok{color:#1a7f37;font-weight:600}.bad{color:#a40e26;font-weight:600}
code{font-size:.85em}`;

/**
 * The demo shop's pages (outside production only), registered in the gateway's form-parsing scope: the
 * product page with the signed pay form, the return page, the notify receiver and its stylesheet.
 */
export function registerDemoShopRoutes(scope: App, ctx: AppContext) {
  const db = ctx.db.kysely;
  const deps = { config: ctx.config, clock: ctx.clock };

  scope.get(
    '/dev/shop/shop.css',
    { schema: { hide: true, response: { 200: Type.String() } } },
    async (_request, reply) => reply.type('text/css; charset=utf-8').send(CSS),
  );

  scope.get(
    '/dev/shop',
    {
      schema: {
        tags,
        summary: 'The demo shop: a product and a pay button (outside production)',
        response: { 200: Html },
      },
    },
    async (request, reply) => {
      const order = await demoOrderForm(db, deps, originOf(request));
      const hidden = Object.entries(order.fields)
        .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
        .join('\n');
      const body = `<section class="product">
<h1>${DEMO_PRODUCT.name} <small lang="en">${DEMO_PRODUCT.nameEn}</small></h1>
<p class="price" data-testid="shop-price">¥ ${DEMO_PRODUCT.amount}</p>
<p>订单号 · order <code data-testid="shop-out-trade-no">${escapeHtml(order.outTradeNo)}</code></p>
<form method="post" action="/gateway/v1/pay" accept-charset="utf-8">
${hidden}
<button type="submit" data-testid="shop-pay">用金库网银支付 · Pay with Jinku</button>
</form></section>
<h2>金库异步通知 · notifications from Jinku</h2>
${notifyList(await demoNotifications(db))}`;
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(page(DEMO_PRODUCT.name, body));
    },
  );

  scope.get(
    '/dev/shop/return',
    {
      schema: {
        tags,
        summary: "The demo shop's return page: Jinku's signed result and the notifications it got",
        querystring: Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 4096 })),
        response: { 200: Html },
      },
    },
    async (request, reply) => {
      const query = request.query as Record<string, string>;
      const verified = await verifyDemoReturn(db, deps, query);
      const outTradeNo = query.out_trade_no ?? '';
      const notes = outTradeNo ? await demoNotifications(db, outTradeNo) : [];
      const settled = notes.some((n) => n.verified && n.tradeStatus !== 'WAIT_BUYER_PAY');
      const body = `<section class="product" data-testid="shop-return">
<h1>支付结果 · payment result</h1>
<p>订单号 · order <code>${escapeHtml(outTradeNo)}</code></p>
<p>状态 · status <strong data-testid="shop-return-status">${escapeHtml(query.trade_status ?? '')}</strong> ¥ ${escapeHtml(query.total_amount ?? '')}</p>
<p data-testid="shop-return-verified">${verified ? '<span class="ok">返回参数签名已验证 · return signature verified</span>' : '<span class="bad">返回参数签名无效 · return signature invalid</span>'}</p>
<p><small>返回参数仅供展示，发货以异步通知或查询为准 · the return is for display; the shop ships on the notify or a query</small></p>
<p><a class="button" href="/dev/shop">继续购物 · shop again</a></p></section>
<h2>金库异步通知 · notifications from Jinku</h2>
${notifyList(notes)}
${settled ? '' : "<p><small>等待金库通知，页面会自动刷新 · waiting for Jinku's notification; this page refreshes</small></p>"}`;
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(page('支付结果', body, settled ? {} : { refreshSeconds: 1 }));
    },
  );

  scope.post(
    '/dev/shop/notify',
    {
      schema: {
        tags,
        summary: "The demo shop's notify receiver: verifies Jinku's signature, answers success",
        consumes: ['application/x-www-form-urlencoded'],
        body: GatewayForm,
        response: { 200: Type.String() },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      if (request.validationError || !request.body) return reply.type('text/plain').send('fail');
      return reply.type('text/plain; charset=utf-8').send(await receiveDemoNotify(db, deps, request.body));
    },
  );
}

import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { pickLanguage } from '../platform/errors.ts';
import { requireCustomer } from '../platform/http/require-customer.ts';
import type { App } from '../platform/http/types.ts';
import { listMessages, readAllMessages, readMessage, unreadState } from './inbox.ts';
import { MessageList, MessageParams, MessageQuery, UnreadState } from './inbox-schema.ts';

const tags = ['messages'];
const lang = (request: FastifyRequest) => pickLanguage(request.headers['accept-language']);

/** How often an open event stream looks at the database for a change (any instance may have written it). */
export const MESSAGE_EVENTS_POLL_MS = 2_000;
/** Comment lines that keep proxies from closing a quiet stream. */
const HEARTBEAT_MS = 20_000;
/**
 * A stream ends after this long and the browser's EventSource reconnects (after `retry`), so that each
 * minute the session is checked again and a signed-out or revoked session stops receiving events.
 */
export const MESSAGE_STREAM_LIFETIME_MS = 60_000;

type Options = { pollMs?: number; lifetimeMs?: number };

/** The message centre's routes (消息中心): list, read, read all, the unread state and its event stream. */
export async function registerMessageRoutes(app: App, ctx: AppContext, options: Options = {}) {
  await app.register(async function messageRoutes(app: App) {
    app.addHook('preHandler', requireCustomer());
    const db = ctx.db.kysely;

    app.get(
      '/api/v1/messages',
      {
        schema: {
          tags,
          summary: 'Your messages, newest first, in your language, with the unread count',
          querystring: MessageQuery,
          response: { 200: MessageList },
        },
      },
      async function getMessages(request) {
        return listMessages(db, request.customerId, {
          ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
          limit: request.query.limit ?? 20,
          lang: lang(request),
        });
      },
    );

    app.get(
      '/api/v1/messages/unread',
      {
        schema: {
          tags,
          summary: 'The unread count and the newest message (the badge; polling fallback of the event stream)',
          response: { 200: UnreadState },
        },
      },
      async function getUnread(request) {
        return unreadState(db, request.customerId);
      },
    );

    app.post(
      '/api/v1/messages/:id/read',
      {
        schema: {
          tags,
          summary: 'Mark one of your messages read',
          params: MessageParams,
          response: { 200: UnreadState },
        },
      },
      async function postRead(request) {
        return readMessage(db, request.customerId, request.params.id, ctx.clock.nowMs());
      },
    );

    app.post(
      '/api/v1/messages/read-all',
      { schema: { tags, summary: 'Mark all your messages read', response: { 200: UnreadState } } },
      async function postReadAll(request) {
        return readAllMessages(db, request.customerId, ctx.clock.nowMs());
      },
    );

    app.get(
      '/api/v1/messages/events',
      {
        schema: {
          tags,
          summary: 'Server-sent events: `unread` with the unread count and newest message id, at once and on change',
          description:
            '`text/event-stream`. Each `unread` event carries `{"unreadCount", "latestId"}`. The stream ends after a ' +
            'minute and the browser reconnects; clients without EventSource poll `GET /api/v1/messages/unread`.',
        },
      },
      async function getEvents(request, reply) {
        const customerId = request.customerId;
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
          connection: 'keep-alive',
        });
        raw.write('retry: 5000\n\n');
        let last = '';
        let closed = false;
        const startedMs = Date.now();
        let lastWriteMs = startedMs;
        request.raw.on('close', () => {
          closed = true;
        });
        const pollMs = options.pollMs ?? MESSAGE_EVENTS_POLL_MS;
        const lifetimeMs = options.lifetimeMs ?? MESSAGE_STREAM_LIFETIME_MS;
        while (!closed && Date.now() - startedMs < lifetimeMs) {
          try {
            const state = JSON.stringify(await unreadState(db, customerId));
            if (state !== last) {
              last = state;
              raw.write(`event: unread\ndata: ${state}\n\n`);
              lastWriteMs = Date.now();
            } else if (Date.now() - lastWriteMs >= HEARTBEAT_MS) {
              raw.write(': keep-alive\n\n');
              lastWriteMs = Date.now();
            }
          } catch (error) {
            // The database away: end the stream; the browser reconnects and, meanwhile, polls.
            request.log.warn({ err: error }, 'message event stream ended');
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
        raw.end();
      },
    );
  });
}

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, lastApiActivityMs, onApiActivity } from '../api/client';
import type { MessageList, MessageView, UnreadState } from '../api/contract';
import { useSession } from '../api/session';

export type Message = MessageView;

/** The message centre's query keys: the pages of the list, and the unread state behind the tab's badge. */
export const messageKeys = {
  all: ['messages'],
  list: ['messages', 'list'],
  unread: ['messages', 'unread'],
} as const;

export const getMessages = (cursor: string | null) =>
  api<MessageList>(`/api/v1/messages?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
/**
 * The unread state, fetched without counting as the customer's activity (a plain fetch, not `api`): the
 * badge's own polling must not look like a person using the app.
 */
export async function getUnread(): Promise<UnreadState> {
  const response = await fetch('/api/v1/messages/unread', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`unread: ${response.status}`);
  return (await response.json()) as UnreadState;
}
export const markRead = (id: string) =>
  api<UnreadState>(`/api/v1/messages/${encodeURIComponent(id)}/read`, { method: 'POST' });
export const markAllRead = () => api<UnreadState>('/api/v1/messages/read-all', { method: 'POST' });

/** How often the badge polls when the browser has no EventSource or the stream keeps failing. */
const POLL_MS = 30_000;

/**
 * The unread count for the 消息 tab's badge, kept fresh by the server-sent events of
 * `/api/v1/messages/events`, with polling as the fallback. A new message refreshes the list. Neither
 * the stream nor the polling may keep an idle session alive: both stop once the customer has made no
 * request of their own for the session's idle period, and start again with the next one.
 */
export function useUnreadMessages(): UnreadState | undefined {
  const client = useQueryClient();
  const session = useSession();
  const signedIn = session.data?.authenticated === true;
  const idleMs = (session.data?.idleTimeoutSeconds ?? 600) * 1000;
  const unread = useQuery({
    queryKey: messageKeys.unread,
    queryFn: getUnread,
    enabled: signedIn,
    refetchInterval: () =>
      typeof EventSource === 'undefined' && Date.now() - lastApiActivityMs() < idleMs ? POLL_MS : false,
  });

  useEffect(() => {
    if (!signedIn || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let latestId: string | null | undefined;
    const close = () => {
      source?.close();
      source = null;
    };
    const open = () => {
      if (source || Date.now() - lastApiActivityMs() >= idleMs) return;
      source = new EventSource('/api/v1/messages/events');
      source.addEventListener('unread', (event) => {
        const state = JSON.parse((event as MessageEvent<string>).data) as UnreadState;
        client.setQueryData(messageKeys.unread, state);
        if (latestId !== undefined && state.latestId !== latestId) {
          void client.invalidateQueries({ queryKey: messageKeys.list });
        }
        latestId = state.latestId;
      });
      // The browser reconnects by itself after the server ends a stream; a refused reconnect (signed
      // out) closes it, and the badge falls back to polling until the page asks for a session again.
      source.addEventListener('error', () => {
        if (source?.readyState === EventSource.CLOSED) {
          close();
          void client.invalidateQueries({ queryKey: messageKeys.unread });
        }
        if (Date.now() - lastApiActivityMs() >= idleMs) close();
      });
    };
    open();
    const unsubscribe = onApiActivity(open);
    const idleCheck = window.setInterval(() => {
      if (Date.now() - lastApiActivityMs() >= idleMs) close();
      else open();
    }, 30_000);
    return () => {
      unsubscribe();
      window.clearInterval(idleCheck);
      close();
    };
  }, [client, signedIn, idleMs]);

  return unread.data;
}

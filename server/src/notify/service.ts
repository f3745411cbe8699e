import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { isoTime } from '../platform/clock.ts';
import { newId } from '../platform/ids.ts';
import type { OutboxList } from './schema.ts';
import { claimDueMessages, insertMessage, messagesTo, type OutboxRow, recordDelivery } from './store.ts';

export type OutboundMessage = {
  channel: 'sms' | 'inapp';
  to: string;
  /** Why it is sent, e.g. `login.otp`, `auth.locked`, `transfer.otp`: for support and metrics. */
  purpose: string;
  text: string;
  /** The one-time code the text carries, if any. */
  code?: string;
};

/**
 * Writes a message to the outbox in the caller's transaction: it is sent if and only if the event that
 * caused it commits (the transactional outbox pattern).
 */
export async function enqueueMessage(trx: Kysely<Database>, message: OutboundMessage, nowMs: number): Promise<void> {
  queuedInThisProcess = true;
  await insertMessage(trx, {
    id: newId<'Message'>(),
    channel: message.channel,
    recipient: message.to,
    purpose: message.purpose,
    text: message.text,
    code: message.code ?? null,
    status: 'pending',
    attempts: 0,
    next_attempt_at_ms: nowMs,
    lease_until_ms: null,
    created_at_ms: nowMs,
    delivered_at_ms: null,
    last_error: null,
  });
}

/**
 * Whether this process queued a message since the worker was last kicked: a request that queued none
 * (most sign-ins and own-account transfers) then costs the worker no poll. Only a hint for waking early;
 * the worker's timer still polls for every process's messages and retries.
 */
let queuedInThisProcess = false;

/** Delivers one message to the outside world; throws to ask for a retry. */
export type DeliveryAdapter = {
  readonly name: string;
  /** Whether delivered rows keep their text and code (only the dev adapter, so tests can read codes). */
  readonly keepsContent: boolean;
  deliver(message: OutboxRow): Promise<void>;
};

/** The development adapter: the outbox row itself is the stored message, readable at /api/v1/dev/outbox. */
export const devAdapter: DeliveryAdapter = { name: 'dev', keepsContent: true, deliver: async () => {} };

/** Posts each message as JSON to an SMS gateway's HTTP endpoint. */
export function httpGatewayAdapter(url: string, timeoutMs = 5000): DeliveryAdapter {
  return {
    name: 'http',
    keepsContent: false,
    async deliver(message) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: message.id, channel: message.channel, to: message.recipient, text: message.text }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`gateway answered ${response.status}`);
    },
  };
}

export const MAX_DELIVERY_ATTEMPTS = 8;
const BATCH_SIZE = 50;
const LEASE_MS = 60_000;

/**
 * Claims due messages, delivers them outside any transaction, and records the outcome. A message whose
 * worker died mid-delivery is claimed again when its lease runs out, so delivery is at least once.
 * Returns how many messages it handled.
 */
export async function deliverDueMessages(
  db: Kysely<Database>,
  adapter: DeliveryAdapter,
  nowMs: () => number,
): Promise<number> {
  const claimed = await withTransaction(db, (trx) => claimDueMessages(trx, nowMs(), BATCH_SIZE, LEASE_MS));
  for (const message of claimed) {
    let outcome: Partial<OutboxRow>;
    try {
      await adapter.deliver(message);
      outcome = adapter.keepsContent
        ? { status: 'delivered', delivered_at_ms: nowMs(), lease_until_ms: null }
        : // The text may carry a one-time code: once the gateway has it, we keep no copy.
          { status: 'delivered', delivered_at_ms: nowMs(), lease_until_ms: null, text: '[delivered]', code: null };
    } catch (error) {
      const attempts = message.attempts + 1;
      const failed = attempts >= MAX_DELIVERY_ATTEMPTS;
      outcome = {
        status: failed ? 'failed' : 'pending',
        attempts,
        lease_until_ms: null,
        next_attempt_at_ms: nowMs() + Math.min(3_600_000, 1000 * 2 ** attempts),
        last_error: String(error instanceof Error ? error.message : error).slice(0, 500),
      };
    }
    await recordDelivery(db, message.id, outcome);
  }
  return claimed.length;
}

/** The longest the worker waits between tries while the database keeps failing. */
const MAX_BACKOFF_MS = 5_000;

/** Doubling waits from the poll interval up to MAX_BACKOFF_MS. */
function backoffMs(pollIntervalMs: number, failuresInARow: number): number {
  return Math.min(MAX_BACKOFF_MS, pollIntervalMs * 2 ** Math.min(failuresInARow - 1, 20));
}

function isPowerOfTwo(n: number): boolean {
  return (n & (n - 1)) === 0;
}

/** The background loop that delivers the outbox; `kick()` wakes it early after a commit. */
export function startOutboxWorker(
  db: Kysely<Database>,
  adapter: DeliveryAdapter,
  nowMs: () => number,
  pollIntervalMs: number,
  onError: (error: unknown) => void,
): { kick(): void; stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    let failuresInARow = 0;
    while (!stopped) {
      try {
        const handled = await deliverDueMessages(db, adapter, nowMs);
        failuresInARow = 0;
        if (handled > 0) continue;
      } catch (error) {
        // While the database is away every poll fails: back off, log the first failure and then sparsely,
        // and resume the normal poll with the first success.
        failuresInARow++;
        if (isPowerOfTwo(failuresInARow)) onError(error);
      }
      const waitMs = failuresInARow === 0 ? pollIntervalMs : backoffMs(pollIntervalMs, failuresInARow);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return {
    kick: () => {
      if (!queuedInThisProcess) return;
      queuedInThisProcess = false;
      wake?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

/** The stored messages, newest first, for one recipient or all (the dev outbox; never in production). */
export async function devOutbox(db: Kysely<Database>, to: string | undefined, limit: number): Promise<OutboxList> {
  const rows = await messagesTo(db, to, limit);
  return {
    items: rows.map((row) => ({
      to: row.recipient,
      channel: row.channel,
      purpose: row.purpose,
      text: row.text,
      ...(row.code ? { code: row.code } : {}),
      status: row.status,
      createdAt: isoTime(row.created_at_ms),
    })),
  };
}

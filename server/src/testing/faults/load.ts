import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import type { TestCustomer } from '../bank.ts';
import { HttpClient } from '../http-client.ts';
import { sleep } from './seed.ts';

/**
 * One transfer request with its Idempotency-Key, as a client remembers it: what it sent, what it was
 * answered, and therefore what it knows. `in_doubt` is a request whose answer was lost (the server died)
 * or that was answered 503 (the database was away): it may or may not have posted, and only retrying its
 * key settles which.
 */
export type KeyedTransfer = {
  key: string;
  body: unknown;
  client: HttpClient;
  /** The test's phase when the answer arrived (before, during or after the fault). */
  phase: string;
  status: number;
  code?: string;
  transferId?: string;
  outcome: 'completed' | 'refused' | 'in_doubt';
};

export type TransferLoad = {
  sent: KeyedTransfer[];
  /** Requests sent and not yet answered. */
  inFlight(): number;
  /** Stops the clients after their current request and waits for them. */
  stop(): Promise<void>;
};

/**
 * A customer's transfer between their own two accounts (random direction and amount), or to a saved
 * payee when one is given: that takes the general path, a transaction of several statements. Moving money
 * within one customer keeps each customer's total constant, which the after-checks use.
 */
export function ownTransferBody(customer: TestCustomer, payeeId?: string | null): unknown {
  const amount = { amount: `${randomInt(1, 100)}.${String(randomInt(100)).padStart(2, '0')}`, currency: 'CNY' };
  if (payeeId) return { fromAccountId: customer.accounts[0]!.id, payeeId, amount };
  const [from, to] = randomInt(2) === 0 ? [0, 1] : [1, 0];
  return {
    fromAccountId: customer.accounts[from]!.id,
    payee: { name: customer.name, accountNumber: customer.accounts[to]!.account_number },
    amount,
  };
}

/** Sends one keyed transfer (through `client`, by default the one that first sent it) and records its answer. */
export async function sendTransfer(record: KeyedTransfer, client: HttpClient = record.client): Promise<void> {
  const answer = await client.json('POST', '/api/v1/transfers', record.body, { 'idempotency-key': record.key });
  record.status = answer.status;
  record.code = answer.body?.code;
  if (answer.status === 201) {
    assert.equal(answer.body.status, 'completed');
    record.outcome = 'completed';
    record.transferId = answer.body.id;
  } else {
    record.outcome = answer.status === 503 ? 'in_doubt' : 'refused';
  }
}

/**
 * Each client sends keyed transfers one after another until stopped. A 503 is in doubt, and the client
 * waits a little as Retry-After asks (shortened for the test) before its next transfer. A refused
 * connection means the server is gone: with `serverDies` (the crash test) that client stops, its last
 * request in doubt; otherwise it fails the test, as the server must live through the fault.
 */
export function startTransferLoad(options: {
  clients: HttpClient[];
  body: (client: number) => unknown;
  phase?: () => string;
  serverDies?: boolean;
}): TransferLoad {
  const sent: KeyedTransfer[] = [];
  let running = true;
  let inFlight = 0;
  const loops = options.clients.map(async (client, i) => {
    while (running) {
      const record: KeyedTransfer = {
        key: randomUUID(),
        body: options.body(i),
        client,
        phase: '',
        status: 0,
        outcome: 'in_doubt',
      };
      sent.push(record);
      inFlight++;
      try {
        await sendTransfer(record);
      } catch (error) {
        if (options.serverDies) return;
        throw error;
      } finally {
        inFlight--;
        // The phase is read when the answer arrives: a request in flight when the fault comes is not 'before'.
        record.phase = options.phase?.() ?? '';
      }
      if (record.status === 503) await sleep(50);
    }
  });
  return {
    sent,
    inFlight: () => inFlight,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/**
 * What a client does with its requests in doubt once the service is back: it sends each again with the
 * same key (through the instances in `baseUrls` in turn, with the session cookies it had), until each is
 * settled — posted (201, a replay if it had posted) or refused for funds the load spent meanwhile (a
 * refusal posts nothing, which the after-checks count). A request cut off mid-way may still hold its key's
 * lease (409 `request.idempotency_in_flight`): the dev clock is moved past it, as a client would wait it
 * out. A 503 is tried again a little later, within `deadlineMs`.
 */
export async function settleInDoubt(
  records: KeyedTransfer[],
  options: { baseUrls: string[]; deadlineMs?: number },
): Promise<{ retried: number; leased: number }> {
  const inDoubt = records.filter((r) => r.outcome === 'in_doubt');
  const pending = [...inDoubt];
  const clients = new Map<string, HttpClient>();
  let turn = 0;
  /** A client on the next instance carrying the cookies of the record's own client. */
  const clientFor = (record: KeyedTransfer) => {
    const baseUrl = options.baseUrls[turn++ % options.baseUrls.length]!;
    const id = `${baseUrl} ${[...record.client.cookies].join(';')}`;
    let client = clients.get(id);
    if (!client) {
      client = new HttpClient(baseUrl);
      for (const [k, v] of record.client.cookies) client.cookies.set(k, v);
      clients.set(id, client);
    }
    return client;
  };
  let leased = 0;
  let clockMoved = false;
  const deadline = Date.now() + (options.deadlineMs ?? 30_000);
  // At least two passes (the second after the clock has moved past the leases), however slow the machine.
  for (let pass = 0; pending.length > 0 && (pass < 2 || Date.now() < deadline); pass++) {
    for (const record of pending) await sendTransfer(record, clientFor(record));
    const leasedNow = pending.filter(isLeased);
    if (leasedNow.length > 0 && !clockMoved) {
      leased = leasedNow.length;
      await fetch(`${options.baseUrls[0]}/api/v1/dev/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSeconds: 60 }),
      });
      clockMoved = true;
      // The other instances re-read the stored clock offset at most once a second.
      if (options.baseUrls.length > 1) await sleep(1100);
    }
    const unsettled = pending.filter((r) => r.status === 503 || isLeased(r));
    pending.splice(0, pending.length, ...unsettled);
    if (pending.length > 0) await sleep(200);
  }
  for (const r of inDoubt) {
    const settled = r.outcome === 'completed' || (r.status === 422 && r.code === 'payment.insufficient_funds');
    assert.ok(settled, `a retried key settles, posted or refused for funds: ${r.status} ${r.code ?? ''}`);
  }
  return { retried: inDoubt.length, leased };
}

function isLeased(record: KeyedTransfer): boolean {
  return record.status === 409 && record.code === 'request.idempotency_in_flight';
}

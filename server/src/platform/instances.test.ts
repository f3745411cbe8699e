import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { verifyAuditLog } from '../audit/index.ts';
import type { Database } from '../database.ts';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import type { TestCustomer } from '../testing/bank.ts';
import { createTestDatabaseUrl } from '../testing/database.ts';
import { devCode, HttpClient } from '../testing/http-client.ts';
import { prepareLoadBank } from '../testing/load-bank.ts';
import { type ServerProcess, startServerProcess } from '../testing/server-process.ts';
import type { DatabaseHandle } from './db/database.ts';

const INSTANCES = 3;
const CUSTOMERS = 4;
const TRANSFERS_PER_CUSTOMER = 12;
const PASSWORD = 'Scale2026x';
const OPENING_FEN = 1_000_000;

/**
 * Issue 20, item 3: three server processes on one PostgreSQL database, with every request of a journey
 * sent to the next instance in turn (a round-robin balancer in the client). The sign-in starts on one
 * instance, its SMS step-up is answered on another, and transfers with Idempotency-Keys go to all three;
 * nothing in a process may be needed by another. Afterwards each transfer is posted once and the ledger
 * and audit chains verify.
 */
describe('three instances on one PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  let db: DatabaseHandle<Database>;
  const servers: ServerProcess[] = [];
  const customers: TestCustomer[] = [];
  before(async () => {
    ({ url, drop } = await createTestDatabaseUrl('postgres'));
    const bank = await prepareLoadBank(url, {
      count: CUSTOMERS,
      openingFen: OPENING_FEN,
      password: PASSWORD,
      poolSize: 2,
    });
    db = bank.db;
    customers.push(...bank.customers);
    for (let i = 0; i < INSTANCES; i++) servers.push(await startServerProcess(url, { JINKU_PG_POOL_SIZE: '4' }));
  });
  after(async () => {
    for (const server of servers) await server.kill('SIGKILL');
    await db?.close();
    await drop?.();
  });

  test('sign-in with step-up and transfers spread across instances all succeed, each posted once', async (t) => {
    let turn = 0;
    const served = new Array<number>(INSTANCES).fill(0);
    /** The next instance's client carrying this browser's cookies (the balancer's round robin). */
    const next = (cookies: Map<string, string>) => {
      const i = turn++ % INSTANCES;
      served[i]!++;
      const client = new HttpClient(servers[i]!.baseUrl);
      for (const [k, v] of cookies) client.cookies.set(k, v);
      return { client, i };
    };
    const sent: Array<{ key: string; id: string; customer: number }> = [];
    for (const [n, customer] of customers.entries()) {
      const cookies = new Map<string, string>();
      const keep = (client: HttpClient) => {
        cookies.clear();
        for (const [k, v] of client.cookies) cookies.set(k, v);
      };
      const first = next(cookies);
      const started = await first.client.json('POST', '/api/v1/auth/login', {
        identifier: customer.mobile,
        password: PASSWORD,
        channel: 'web',
      });
      keep(first.client);
      assert.equal(started.body.state, 'challenge', 'a new device is asked for its SMS code');
      const second = next(cookies);
      const code = await devCode(second.client.baseUrl, customer.mobile);
      const verified = await second.client.json('POST', `/api/v1/auth/login/${started.body.attemptId}/verify`, {
        method: 'sms',
        response: code,
      });
      assert.equal(verified.body.state, 'authenticated', JSON.stringify(verified.body));
      assert.notEqual(first.i, second.i, 'the step-up was answered by another instance');
      keep(second.client);
      for (let k = 0; k < TRANSFERS_PER_CUSTOMER; k++) {
        const [from, to] = randomInt(2) === 0 ? [0, 1] : [1, 0];
        const body = {
          fromAccountId: customer.accounts[from]!.id,
          payee: { name: customer.name, accountNumber: customer.accounts[to]!.account_number },
          amount: { amount: `${randomInt(1, 50)}.${String(randomInt(100)).padStart(2, '0')}`, currency: 'CNY' },
        };
        const key = randomUUID();
        const { client } = next(cookies);
        const answer = await client.json('POST', '/api/v1/transfers', body, { 'idempotency-key': key });
        assert.equal(answer.status, 201, JSON.stringify(answer.body));
        assert.equal(answer.body.status, 'completed');
        // The same key on another instance answers the same transfer.
        const replay = await next(cookies).client.json('POST', '/api/v1/transfers', body, { 'idempotency-key': key });
        assert.equal(replay.body.id, answer.body.id);
        sent.push({ key, id: answer.body.id, customer: n });
      }
    }
    t.diagnostic(`requests per instance: ${served.join(', ')}`);
    assert.ok(
      served.every((count) => count > 10),
      'every instance served the journeys',
    );
    assert.deepEqual(await checkLedgerInvariants(db.kysely), []);
    const audit = await verifyAuditLog(db.kysely);
    assert.ok(audit.ok, JSON.stringify(audit));
    const entries = await db.kysely
      .selectFrom('journal_entry')
      .select('reference')
      .where('kind', '=', 'transfer')
      .execute();
    assert.equal(entries.length, sent.length, 'one entry per transfer, none for the replays');
    assert.equal(new Set(entries.map((e) => e.reference)).size, sent.length);
    for (const customer of customers) {
      const balances = await balancesOf(
        db.kysely,
        customer.accounts.map((a) => a.id),
      );
      assert.equal(
        [...balances.values()].reduce((sum, b) => sum + b.postedFen, 0),
        2 * OPENING_FEN,
      );
    }
  });
});

import assert from 'node:assert/strict';
import { prepareLoadBank } from '../testing/load-bank.ts';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../database.ts';
import { verifyAuditLog } from '../audit/index.ts';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import type { DatabaseHandle } from '../platform/db/database.ts';
import type { TestCustomer } from '../testing/bank.ts';
import { createTestDatabaseUrl, DIALECTS } from '../testing/database.ts';
import { HttpClient, signInOverHttp } from '../testing/http-client.ts';
import { type ServerProcess, startServerProcess } from '../testing/server-process.ts';

const CUSTOMERS = 8;
const PASSWORD = 'Crash2026x';
const OPENING_FEN = 1_000_000;
/** When the kill comes; `npm run soak` varies it by its seed (JINKU_SOAK_SEED). */
const KILL_AFTER_MS = process.env.JINKU_SOAK_SEED ? 700 + ((Number(process.env.JINKU_SOAK_SEED) * 7919) % 2000) : 1500;

type Sent = {
  key: string;
  body: unknown;
  client: HttpClient;
  outcome: 'completed' | 'refused' | 'in_doubt';
  transferId?: string;
};

/**
 * The bank must not lose or duplicate money when its server dies mid-load (issue 4, "Reliability"): the
 * server is killed with SIGKILL while clients are transferring, then restarted on the same database.
 * Afterwards every invariant holds, every answered transfer is there exactly once, and retrying the
 * requests whose answer was lost, with their Idempotency-Keys, never posts twice.
 */
for (const dialect of DIALECTS) {
  describe(`crash during transfers [${dialect}]`, () => {
    let url: string;
    let drop: () => Promise<void>;
    let db: DatabaseHandle<Database>;
    let server: ServerProcess | null = null;
    const customers: TestCustomer[] = [];
    before(async () => {
      ({ url, drop } = await createTestDatabaseUrl(dialect));
      const bank = await prepareLoadBank(url, {
        count: CUSTOMERS,
        openingFen: OPENING_FEN,
        password: PASSWORD,
        poolSize: 4,
      });
      db = bank.db;
      customers.push(...bank.customers);
    });
    after(async () => {
      await server?.kill('SIGKILL');
      await db.close();
      await drop();
    });

    const signIn = (baseUrl: string, customer: TestCustomer) => signInOverHttp(baseUrl, customer.mobile, PASSWORD);

    test('SIGKILL mid-load loses nothing, duplicates nothing, and retries post once', async (t) => {
      server = await startServerProcess(url);
      const clients = await Promise.all(customers.map((c) => signIn(server!.baseUrl, c)));
      const sent: Sent[] = [];
      let killed = false;
      let inFlight = 0;
      const load = customers.map(async (customer, i) => {
        const client = clients[i]!;
        while (!killed) {
          const [from, to] = randomInt(2) === 0 ? [0, 1] : [1, 0];
          const body = {
            fromAccountId: customer.accounts[from]!.id,
            payee: { name: customer.name, accountNumber: customer.accounts[to]!.account_number },
            amount: { amount: `${randomInt(1, 100)}.${String(randomInt(100)).padStart(2, '0')}`, currency: 'CNY' },
          };
          const record: Sent = { key: randomUUID(), body, client, outcome: 'in_doubt' };
          sent.push(record);
          inFlight++;
          try {
            const answer = await client.json('POST', '/api/v1/transfers', body, { 'idempotency-key': record.key });
            inFlight--;
            if (answer.status === 201 && answer.body.status === 'completed') {
              record.outcome = 'completed';
              record.transferId = answer.body.id;
            } else {
              record.outcome = 'refused';
            }
          } catch {
            return; // the server is gone: this answer is in doubt
          }
        }
      });
      await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
      // Kill while most clients wait on an answer, so that some requests die inside the server.
      while (inFlight < CUSTOMERS / 2) await new Promise((r) => setImmediate(r));
      // The clients go on until the dead server refuses them, so each ends with a request in doubt even
      // when the kill falls between answers (stopping them before the kill let every client end cleanly).
      await server.kill('SIGKILL');
      killed = true;
      await Promise.all(load);
      const answered = sent.filter((s) => s.outcome === 'completed');
      const inDoubt = sent.filter((s) => s.outcome === 'in_doubt');
      assert.ok(answered.length > 20, `load ran before the kill (${answered.length} completed)`);
      assert.ok(inDoubt.length > 0, 'some requests were cut off by the kill');
      const postedBeforeRetry = (
        await db.kysely.selectFrom('journal_entry').select('id').where('kind', '=', 'transfer').execute()
      ).length;
      t.diagnostic(
        `${answered.length} answered, ${inDoubt.length} in doubt, ${postedBeforeRetry - answered.length} of those posted before the kill`,
      );

      server = await startServerProcess(url);
      // A request cut off mid-way left its key leased; move past the lease so the retry may take it over.
      await fetch(`${server.baseUrl}/api/v1/dev/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSeconds: 60 }),
      });
      // Sessions live in the database: the same cookies still work on the new process.
      for (const record of inDoubt) {
        const retried = new HttpClient(server.baseUrl);
        for (const [k, v] of record.client.cookies) retried.cookies.set(k, v);
        const answer = await retried.json('POST', '/api/v1/transfers', record.body, { 'idempotency-key': record.key });
        // One that had not posted runs now, and may meet an account the load emptied meanwhile; the
        // counts below catch a refusal of one that had posted (its entry would have no request).
        if (answer.status === 422 && answer.body.code === 'payment.insufficient_funds') {
          record.outcome = 'refused';
          continue;
        }
        assert.equal(answer.status, 201, JSON.stringify(answer.body));
        record.outcome = 'completed';
        record.transferId = answer.body.id;
      }
      // Retrying an answered one replays the same transfer.
      const replayClient = new HttpClient(server.baseUrl);
      const sample = answered[0]!;
      for (const [k, v] of sample.client.cookies) replayClient.cookies.set(k, v);
      const replay = await replayClient.json('POST', '/api/v1/transfers', sample.body, {
        'idempotency-key': sample.key,
      });
      assert.equal(replay.body.id, sample.transferId);

      assert.deepEqual(await checkLedgerInvariants(db.kysely), []);
      const audit = await verifyAuditLog(db.kysely);
      assert.ok(audit.ok, `the audit chains verify after the kill: ${JSON.stringify(audit)}`);
      const completedIds = sent.filter((s) => s.outcome === 'completed').map((s) => s.transferId!);
      assert.equal(new Set(completedIds).size, completedIds.length, 'each request is its own transfer');
      const entries = await db.kysely
        .selectFrom('journal_entry')
        .select(['reference'])
        .where('kind', '=', 'transfer')
        .execute();
      const entriesPerTransfer = new Map<string, number>();
      for (const e of entries) entriesPerTransfer.set(e.reference, (entriesPerTransfer.get(e.reference) ?? 0) + 1);
      for (const id of completedIds)
        assert.equal(entriesPerTransfer.get(id), 1, `transfer ${id} is posted exactly once`);
      assert.equal(entries.length, completedIds.length, 'no posted transfer that no request asked for');
      // Own-account transfers move money within a customer: each customer's total is what it was.
      for (const customer of customers) {
        const balances = await balancesOf(
          db.kysely,
          customer.accounts.map((a) => a.id),
        );
        const total = [...balances.values()].reduce((sum, b) => sum + b.postedFen, 0);
        assert.equal(total, 2 * OPENING_FEN);
      }
    });
  });
}

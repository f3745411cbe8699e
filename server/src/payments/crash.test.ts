import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../database.ts';
import type { DatabaseHandle } from '../platform/db/database.ts';
import type { TestCustomer } from '../testing/bank.ts';
import { createTestDatabaseUrl, DIALECTS } from '../testing/database.ts';
import { assertPostedExactlyOnce, countTransferEntries } from '../testing/faults/checks.ts';
import { ownTransferBody, sendTransfer, settleInDoubt, startTransferLoad } from '../testing/faults/load.ts';
import { seedNote, sleep, soakTimings } from '../testing/faults/seed.ts';
import { HttpClient, signInOverHttp } from '../testing/http-client.ts';
import { prepareLoadBank } from '../testing/load-bank.ts';
import { type ServerProcess, startServerProcess } from '../testing/server-process.ts';

const CUSTOMERS = 8;
const PASSWORD = 'Crash2026x';
const OPENING_FEN = 1_000_000;
/** When the kill comes; `npm run soak` draws it from its seed (JINKU_SOAK_SEED). */
const KILL_AFTER_MS = soakTimings()(1500, 700, 2000);

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

    test('SIGKILL mid-load loses nothing, duplicates nothing, and retries post once', async (t) => {
      server = await startServerProcess(url);
      const clients = await Promise.all(customers.map((c) => signInOverHttp(server!.baseUrl, c.mobile, PASSWORD)));
      // The clients go on until the dead server refuses them, so each ends with a request in doubt even
      // when the kill falls between answers.
      const load = startTransferLoad({ clients, body: (i) => ownTransferBody(customers[i]!), serverDies: true });
      await sleep(KILL_AFTER_MS);
      // Some load first, however busy the machine; then kill while most clients wait on an answer, so that
      // some requests die inside the server.
      const completed = () => load.sent.filter((s) => s.outcome === 'completed').length;
      while (completed() <= 20) await sleep(20);
      while (load.inFlight() < CUSTOMERS / 2) await new Promise((r) => setImmediate(r));
      await server.kill('SIGKILL');
      await load.stop();
      const sent = load.sent;
      const answered = sent.filter((s) => s.outcome === 'completed');
      const inDoubt = sent.filter((s) => s.outcome === 'in_doubt');
      assert.ok(answered.length > 20, `load ran before the kill (${answered.length} completed)`);
      assert.ok(inDoubt.length > 0, 'some requests were cut off by the kill');
      const postedBeforeRetry = await countTransferEntries(db.kysely);
      t.diagnostic(
        `${answered.length} answered, ${inDoubt.length} in doubt, ${postedBeforeRetry - answered.length} of those posted before the kill (kill after ${KILL_AFTER_MS} ms${seedNote()})`,
      );

      // Sessions live in the database: the same cookies work on the new process, where the keys in doubt
      // are retried (a request cut off mid-way left its key leased: settleInDoubt waits the lease out).
      server = await startServerProcess(url);
      await settleInDoubt(sent, { baseUrls: [server.baseUrl] });
      // Retrying an answered one replays the same transfer.
      const sample = answered[0]!;
      const replay = { ...sample };
      const replayClient = new HttpClient(server.baseUrl);
      for (const [k, v] of sample.client.cookies) replayClient.cookies.set(k, v);
      await sendTransfer(replay, replayClient);
      assert.equal(replay.transferId, sample.transferId);

      await assertPostedExactlyOnce(db.kysely, sent, customers, OPENING_FEN);
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../database.ts';
import type { TestCustomer } from '../../testing/bank.ts';
import { assertPostedExactlyOnce, countTransferEntries, tallyByPhase } from '../../testing/faults/checks.ts';
import { ownTransferBody, settleInDoubt, startTransferLoad } from '../../testing/faults/load.ts';
import { type FailoverRig, startFailoverRig } from '../../testing/faults/pg-ha.ts';
import { probeReadiness, statusesIn, waitUntilReady } from '../../testing/faults/readiness.ts';
import { seedNote, sleep, soakTimings } from '../../testing/faults/seed.ts';
import { signInOverHttp } from '../../testing/http-client.ts';
import { prepareLoadBank } from '../../testing/load-bank.ts';
import { type ServerProcess, startServerProcess } from '../../testing/server-process.ts';
import { type DatabaseHandle, openDatabase } from './database.ts';

const INSTANCES = 2;
const CUSTOMERS = 6;
const PASSWORD = 'Failover2026x';
const OPENING_FEN = 1_000_000;
/**
 * Load before the primary dies; how long no server takes writes before the standby is promoted (an
 * operator's or a failover manager's decision time); load after. `npm run soak` draws the first two from
 * its seed.
 */
const timing = soakTimings();
const BEFORE_MS = timing(800, 300, 1200);
const LEADERLESS_MS = timing(800, 200, 2000);
const AFTER_MS = 1000;

/**
 * Issue 20, item 2: two server processes reach PostgreSQL through HAProxy, which routes only to the
 * server that accepts writes; the standby is synchronous (remote_apply). While customers transfer with
 * Idempotency-Keys the primary is crashed, and a little later the standby is promoted. The servers follow
 * by themselves — their pools' connections break, they answer 503 and /readyz goes red, and once HAProxy
 * routes to the promoted server they are ready again without a restart. Every transfer answered
 * `completed` must be on the promoted server exactly once; the keys answered 503 are retried and settle.
 */
describe('failover to a synchronous standby behind HAProxy', () => {
  let rig: FailoverRig;
  let promoted: DatabaseHandle<Database> | null = null;
  const servers: ServerProcess[] = [];
  const customers: TestCustomer[] = [];

  before(async () => {
    rig = await startFailoverRig();
    const bank = await prepareLoadBank(rig.url, {
      count: CUSTOMERS,
      openingFen: OPENING_FEN,
      password: PASSWORD,
      poolSize: 2,
    });
    await bank.db.close();
    customers.push(...bank.customers);
    for (let i = 0; i < INSTANCES; i++) {
      servers.push(await startServerProcess(rig.url, { JINKU_PG_POOL_SIZE: '6', JINKU_OUTBOX_POLL_MS: '100' }));
    }
  });
  after(async () => {
    for (const server of servers) await server.kill('SIGKILL');
    await promoted?.close();
    await rig?.stop();
  });

  test('the servers follow the promoted standby, and every completed transfer is there exactly once', async (t) => {
    const clients = await Promise.all(
      customers.map((c, i) => signInOverHttp(servers[i % INSTANCES]!.baseUrl, c.mobile, PASSWORD)),
    );
    let phase = 'before';
    const load = startTransferLoad({ clients, body: (i) => ownTransferBody(customers[i]!), phase: () => phase });
    const probes = servers.map((s) => probeReadiness(s.baseUrl, () => phase));

    await sleep(BEFORE_MS);
    // Some transfers answered before the crash, however busy the machine: they are what must survive it.
    while (load.sent.filter((s) => s.outcome === 'completed').length < 10) await sleep(20);
    phase = 'during';
    await rig.killPrimary();
    await sleep(LEADERLESS_MS);
    await rig.promoteStandby();
    const routedMs = await rig.waitForRoute('standby');
    const readyMs = await Promise.all(servers.map((s) => waitUntilReady(s.baseUrl)));
    phase = 'after';
    await sleep(AFTER_MS);
    await load.stop();
    await Promise.all(probes.map((p) => p.stop()));

    const sent = load.sent;
    const figures = tallyByPhase(sent);
    t.diagnostic(
      `failover answers by phase: ${JSON.stringify(figures)}; primary crashed ${BEFORE_MS} ms into the load, ` +
        `standby promoted ${LEADERLESS_MS} ms later, HAProxy routed to it ${routedMs} ms after the promotion, ` +
        `/readyz green ${readyMs.join(', ')} ms after that; readiness ${probes.map((p) => runs(p.samples)).join(' | ')}${seedNote()}`,
    );
    for (const server of servers) {
      assert.equal(server.child.exitCode, null, `the server process is alive:\n${server.output()}`);
      assert.doesNotMatch(server.output(), /uncaught exception|unhandled promise rejection|unhandled error/);
    }
    for (const [i, probe] of probes.entries()) {
      assert.deepEqual([...statusesIn(probe.samples, 'before')], [200], `instance ${i} ready before`);
      assert.ok(
        statusesIn(probe.samples, 'during').has(503),
        `instance ${i}: /readyz red while no server takes writes`,
      );
      assert.equal(probe.samples.at(-1)?.status, 200, `instance ${i}: /readyz green again`);
      assert.ok(readyMs[i]! <= 5000, `instance ${i}: ready ${readyMs[i]} ms after HAProxy switched`);
    }
    for (const s of sent) {
      assert.ok([201, 503].includes(s.status), `every answer is 201 or 503: ${s.status} ${s.code ?? ''}`);
      if (s.status === 503) assert.equal(s.code, 'system.unavailable');
    }
    assert.ok((figures.before?.['201'] ?? 0) > 0, 'transfers completed before the crash');
    assert.ok(
      sent.some((s) => s.phase === 'during' && s.status === 503),
      'some transfers met the failover',
    );
    assert.ok((figures.after?.['201'] ?? 0) > 0, 'new transfers complete on the promoted server');

    // The checks read the promoted server itself, not whatever HAProxy routes to.
    promoted = openDatabase<Database>(rig.standbyUrl, { poolSize: 2 });
    const postedBeforeRetry = await countTransferEntries(promoted.kysely);
    const completedBeforeRetry = sent.filter((s) => s.outcome === 'completed').length;
    const { retried, leased } = await settleInDoubt(sent, { baseUrls: servers.map((s) => s.baseUrl) });
    t.diagnostic(
      `${completedBeforeRetry} answered completed, ${retried} in doubt and retried: ` +
        `${postedBeforeRetry - completedBeforeRetry} of those had posted (replayed), ${leased} still leased at the first retry; all settled`,
    );
    await assertPostedExactlyOnce(promoted.kysely, sent, customers, OPENING_FEN);
  });
});

/** Readiness samples as runs, e.g. `before:200×12 during:503×9 after:200×20`. */
function runs(samples: Array<{ phase: string; status: number }>): string {
  const out: string[] = [];
  let last = '';
  let count = 0;
  for (const s of samples) {
    const label = `${s.phase}:${s.status}`;
    if (label === last) count++;
    else {
      if (count) out.push(`${last}×${count}`);
      last = label;
      count = 1;
    }
  }
  if (count) out.push(`${last}×${count}`);
  return out.join(' ');
}

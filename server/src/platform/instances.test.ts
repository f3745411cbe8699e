import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyAuditLog } from '../audit/index.ts';
import type { Database } from '../database.ts';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import type { TestCustomer } from '../testing/bank.ts';
import { createTestDatabaseUrl } from '../testing/database.ts';
import { startHttpBalancer } from '../testing/faults/http-balancer.ts';
import { devCode, HttpClient, signInOverHttp } from '../testing/http-client.ts';
import { prepareLoadBank } from '../testing/load-bank.ts';
import { type ServerProcess, startServerProcess } from '../testing/server-process.ts';
import type { DatabaseHandle } from './db/database.ts';
import { MAINTENANCE_CACHE_MS } from './http/maintenance-gate.ts';

const INSTANCES = 3;
const CUSTOMERS = 4;
const TRANSFERS_PER_CUSTOMER = 12;
const PASSWORD = 'Scale2026x';
const OPENING_FEN = 1_000_000;
const ROOT = join(import.meta.dirname, '../../..');
const DESKTOP_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36';

/**
 * Issue 20, item 3: three server processes on one PostgreSQL database, with every request of a journey
 * sent to the next instance in turn (a round-robin balancer in the client). The sign-in starts on one
 * instance, its SMS step-up is answered on another, and transfers with Idempotency-Keys go to all three;
 * nothing in a process may be needed by another. Afterwards each transfer is posted once and the ledger
 * and audit chains verify. A QR login is asked for on one instance, approved from the phone on another
 * and used on the third; maintenance turned on and off by the operator command reaches all three within
 * the gate's cache bound.
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
  test('QR login: the browser asks and polls on one instance, the phone approves on another, the session works on a third', async () => {
    const holder = customers[0]!;
    const [browserSide, phoneSide, third] = servers as [ServerProcess, ServerProcess, ServerProcess];
    // The phone signs in to the mobile app (channel mobile, with its new-device SMS code) on the second instance.
    const phone = new HttpClient(phoneSide.baseUrl);
    const ua = { 'user-agent': PHONE_UA };
    const started = await phone.json(
      'POST',
      '/api/v1/auth/login',
      { identifier: holder.mobile, password: PASSWORD, channel: 'mobile' },
      ua,
    );
    let phoneState = started.body.state;
    if (phoneState === 'challenge') {
      const verified = await phone.json(
        'POST',
        `/api/v1/auth/login/${started.body.attemptId}/verify`,
        { method: 'sms', response: await devCode(phoneSide.baseUrl, holder.mobile) },
        ua,
      );
      phoneState = verified.body.state;
    }
    assert.equal(phoneState, 'authenticated');

    const browser = new HttpClient(browserSide.baseUrl);
    const desktop = { 'user-agent': DESKTOP_UA };
    const qr = await browser.json('POST', '/api/v1/auth/qr', undefined, desktop);
    assert.equal(qr.status, 200, JSON.stringify(qr.body));
    const { qrId, matchNumber } = qr.body as { qrId: string; matchNumber: number };
    const poll = () => browser.json('GET', `/api/v1/auth/qr/${qrId}`, undefined, desktop);
    assert.equal((await poll()).body.state, 'pending');

    const scanned = await phone.json('POST', `/api/v1/auth/qr/${qrId}/scan`, undefined, ua);
    assert.equal(scanned.status, 200, JSON.stringify(scanned.body));
    assert.equal(scanned.body.requester.browser, 'Chrome');
    assert.ok(scanned.body.choices.includes(matchNumber));
    assert.equal((await poll()).body.state, 'scanned', 'the scan on one instance is seen by the other');

    const approved = await phone.json('POST', `/api/v1/auth/qr/${qrId}/approve`, { matchNumber }, ua);
    assert.deepEqual(approved.body, { state: 'approved' });
    assert.equal(browser.cookies.has('jinku_sid'), false);
    assert.equal((await poll()).body.state, 'approved');
    assert.ok(browser.cookies.has('jinku_sid'), 'the approval on one instance hands the session over on another');

    // The same browser's next request goes to the third instance.
    const onThird = new HttpClient(third.baseUrl);
    for (const [k, v] of browser.cookies) onThird.cookies.set(k, v);
    const session = await onThird.json('GET', '/api/v1/session', undefined, desktop);
    assert.equal(session.body.authenticated, true);
    assert.equal(session.body.customer.id, holder.id);
    assert.equal(session.body.session.channel, 'web');
    const accounts = await onThird.json('GET', '/api/v1/accounts', undefined, desktop);
    assert.equal(accounts.status, 200);
    assert.equal(accounts.body.items.length, holder.accounts.length);
    const logout = await onThird.json('POST', '/api/v1/auth/logout', undefined, desktop);
    assert.equal(logout.status, 204);
    // Logged out on the third: the token is dead on the first too.
    assert.equal((await browser.json('GET', '/api/v1/accounts', undefined, desktop)).status, 401);
  });

  test('maintenance from the operator command reaches every instance within the cache bound, and so does its end', async (t) => {
    const operator = (...args: string[]) => {
      const run = spawnSync(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', join(ROOT, 'server/src/cli/maintenance.ts'), ...args],
        {
          env: { ...process.env, DATABASE_URL: url, JINKU_ENV: 'test', JINKU_SECRET: '11'.repeat(32) },
          encoding: 'utf8',
        },
      );
      assert.equal(run.status, 0, run.stderr);
      // The command has committed when it exits: from here each instance has its cache bound to notice.
      return Date.now();
    };
    const customer = customers[1]!;
    const signIn = (server: ServerProcess) =>
      new HttpClient(server.baseUrl).json('POST', '/api/v1/auth/login', {
        identifier: customer.mobile,
        password: PASSWORD,
        channel: 'web',
      });
    // A customer route with no side effects (no SMS, no failure counted), to poll with.
    const captcha = async (server: ServerProcess) => (await fetch(`${server.baseUrl}/api/v1/auth/captcha`)).status;
    /** Polls one instance until its captcha route answers `status`; how long after `sinceMs` that was. */
    const seen = async (server: ServerProcess, sinceMs: number, status: number) => {
      for (;;) {
        const answer = await captcha(server);
        if (answer === status) return Date.now() - sinceMs;
        assert.ok(
          Date.now() < sinceMs + MAINTENANCE_CACHE_MS + 1500,
          `${server.baseUrl} still answers ${answer}, not ${status}, past the cache bound`,
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // Every instance reads the setting now, so that each holds a cached "no maintenance" when it begins.
    for (const server of servers) assert.equal(await captcha(server), 200);

    const onAtMs = operator('on', '--message-zh', '系统升级，稍后再试', '--message-en', 'Upgrading, try again later');
    const onLags: number[] = [];
    const offLags: number[] = [];
    try {
      for (const server of servers) onLags.push(await seen(server, onAtMs, 503));
      for (const server of servers) {
        const refused = await signIn(server);
        assert.equal(refused.status, 503);
        assert.equal(refused.body.code, 'system.maintenance');
        assert.match(refused.body.detail, /系统升级/);
        assert.equal(refused.body.maintenance.messageEn, 'Upgrading, try again later');
        // The session route still carries the announcement to the login page, and the instance stays ready.
        const session = await new HttpClient(server.baseUrl).json('GET', '/api/v1/session');
        assert.equal(session.status, 200);
        assert.equal(session.body.maintenance.messageZh, '系统升级，稍后再试');
        assert.equal((await fetch(`${server.baseUrl}/readyz`)).status, 200);
      }
    } finally {
      const offAtMs = operator('off');
      for (const server of servers) offLags.push(await seen(server, offAtMs, 200));
    }
    t.diagnostic(`maintenance seen after ${onLags.join(', ')} ms; its end after ${offLags.join(', ')} ms`);
    for (const server of servers) {
      const open = await signIn(server);
      assert.equal(open.status, 200, JSON.stringify(open.body));
      assert.ok(['challenge', 'authenticated'].includes(open.body.state));
    }
    const audit = await db.kysely
      .selectFrom('audit_log')
      .select('kind')
      .where('kind', 'in', ['system.maintenance_on', 'system.maintenance_off'])
      .execute();
    assert.deepEqual(audit.map((row) => row.kind).sort(), ['system.maintenance_off', 'system.maintenance_on']);
    assert.ok((await verifyAuditLog(db.kysely)).ok);
  });

  // Last in this suite: it kills an instance.
  test('behind HAProxy: one address spreads a journey over the three, and when one dies the others carry on', async (t) => {
    const balancer = await startHttpBalancer(
      servers.map((server, i) => ({ name: `jinku${i + 1}`, port: Number(new URL(server.baseUrl).port) })),
    );
    try {
      const customer = customers[2]!;
      const client = await signInOverHttp(balancer.baseUrl, customer.mobile, PASSWORD);
      const ids = new Set<string>();
      const transfer = async () => {
        const [from, to] = randomInt(2) === 0 ? [0, 1] : [1, 0];
        const answer = await client.json(
          'POST',
          '/api/v1/transfers',
          {
            fromAccountId: customer.accounts[from]!.id,
            payee: { name: customer.name, accountNumber: customer.accounts[to]!.account_number },
            amount: { amount: `${randomInt(1, 50)}.00`, currency: 'CNY' },
          },
          { 'idempotency-key': randomUUID() },
        );
        assert.equal(answer.status, 201, JSON.stringify(answer.body));
        ids.add(answer.body.id);
      };
      for (let k = 0; k < 9; k++) await transfer();
      const spread = await balancer.served();
      assert.ok(
        Object.values(spread).every((n) => n >= 3),
        `round robin reached every instance: ${JSON.stringify(spread)}`,
      );

      // An instance dies between requests: the balancer resends the refused connections to the others
      // (never a request the dead one had taken) and its checks take it out of the rotation.
      await servers[0]!.kill('SIGKILL');
      for (let k = 0; k < 9; k++) await transfer();
      const states = await balancer.states();
      assert.equal(states.jinku1, 'DOWN', JSON.stringify(states));
      t.diagnostic(
        `requests per instance ${JSON.stringify(await balancer.served())}, after the kill ${JSON.stringify(states)}`,
      );
      assert.equal(ids.size, 18);
      assert.deepEqual(await checkLedgerInvariants(db.kysely), []);
    } finally {
      await balancer.stop();
    }
  });
});

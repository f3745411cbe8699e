import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAuditLog } from '../audit/index.ts';
import type { Database } from '../database.ts';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import { migrations } from '../migrations.ts';
import { type DatabaseHandle, openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createTestApp, json } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { createTestDatabaseUrl, DIALECTS } from '../testing/database.ts';
import { type ServerProcess, startServerProcess } from '../testing/server-process.ts';
import { addOperator, onboardEnterprise, signed } from './test-support.ts';

const LINES = 1000;
/** Lines per chunk (the ledger's batch size): the kill comes once this many chunks have posted. */
const CHUNK = 64;
const KILL_AFTER_CHUNKS = 3;

/**
 * Issue 19's acceptance: a payroll batch of 1,000 lines with 3 bad ones executes the rest exactly once
 * even when the server is killed halfway and restarted. The release is sent to a real server process,
 * which is killed with SIGKILL while it posts the batch (a pause between chunks makes "halfway" a point
 * the test can wait for), then started again on the same database: it resumes the batch by itself.
 */
for (const dialect of DIALECTS) {
  describe(`payroll batch across a server kill [${dialect}]`, () => {
    let url: string;
    let drop: () => Promise<void>;
    let db: DatabaseHandle<Database>;
    let server: ServerProcess | null = null;
    before(async () => {
      ({ url, drop } = await createTestDatabaseUrl(dialect));
      db = openDatabase<Database>(url, { poolSize: 4 });
      await migrateToLatest(db.kysely, migrations);
    });
    after(async () => {
      await server?.kill('SIGKILL');
      await db.close();
      await drop();
    });

    test('SIGKILL halfway through 997 good lines: after the restart each is posted exactly once', async (t) => {
      // The enterprise, its operators and the uploaded batch, set up in this process on the same database.
      const local = await createTestApp(dialect, { db: { url, handle: db, drop: async () => {} } });
      const ent = await onboardEnterprise(local, { uscc: '91110000600037341L', balanceFen: 1_000_000_000 });
      const deps = { config: local.ctx.config, clock: local.clock };
      const zhang = await createTestCustomer(db.kysely, deps, { name: '张三', balancesFen: [0] });
      const li = await createTestCustomer(db.kysely, deps, { name: '李四', balancesFen: [0] });
      const maker = await addOperator(local, ent, { role: 'maker', single: '5000000.00', daily: '5000000.00' });
      const checker = await addOperator(local, ent, { role: 'checker', single: '5000000.00', daily: '5000000.00' });
      const policy = await signed(ent.admin, 'PUT', '/api/v1/corporate/policies', {
        policies: [
          {
            accountId: ent.accountId,
            businessType: 'payroll',
            tiers: [
              {
                upTo: { amount: '5000000.00', currency: 'CNY' },
                levels: [{ required: 1, operators: [checker.id] }],
                release: false,
              },
            ],
          },
        ],
      });
      assert.equal(policy.statusCode, 200, policy.body);
      const rows = ['账号,户名,金额,附言'];
      const expected = new Map<number, number>();
      for (let i = 1; i <= LINES; i++) {
        const line = i + 1;
        const payee = i % 2 === 0 ? zhang : li;
        const name = i % 2 === 0 ? '张三' : '李四';
        if (line === 101) rows.push(`12AB,${name},100.00,工资`);
        else if (line === 502) rows.push(`${payee.accounts[0]!.account_number},${name},-5.00,工资`);
        else if (line === 903) rows.push(`${payee.accounts[0]!.account_number},王五,100.00,工资`);
        else {
          rows.push(`${payee.accounts[0]!.account_number},${name},${(100 + i).toFixed(2)},工资`);
          expected.set(line, (100 + i) * 100);
        }
      }
      const uploaded = await maker.client.post('/api/v1/corporate/batches', {
        fromAccountId: ent.accountId,
        fileName: 'payroll.csv',
        content: Buffer.from(rows.join('\r\n')).toString('base64'),
      });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const report = json(uploaded);
      assert.deepEqual(
        report.bad.map((b: { line: number; reason: string }) => `${b.line}:${b.reason}`),
        ['101:account_format', '502:amount', '903:payee_mismatch'],
      );
      assert.equal(report.count, expected.size);
      const submitted = await maker.client.post(`/api/v1/corporate/payments/${report.instructionId}/submit`);
      assert.equal(submitted.statusCode, 200, submitted.body);
      const approveUrl = `/api/v1/corporate/payments/${report.instructionId}/approve`;
      const asked = json(await checker.client.post(approveUrl, {}));
      assert.equal(asked.status, 'authorization_required');
      // Sessions and the CSRF key live in the database and the secret: the real server honours them.
      const headers = {
        'content-type': 'application/json',
        cookie: [...checker.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'x-csrf-token': (await checker.client.csrfToken()) ?? '',
      };
      const authorization = {
        method: 'u_shield',
        challengeId: asked.challengeId,
        response: checker.key.assert(asked.authorization.challenge.options),
      };
      await local.app.close();

      const env = { JINKU_PUBLIC_ORIGIN: local.ctx.config.publicOrigin };
      server = await startServerProcess(url, { ...env, JINKU_PAYROLL_CHUNK_PAUSE_MS: '200' });
      const posted = async () =>
        (
          await db.kysely
            .selectFrom('journal_entry')
            .select('reference')
            .where('reference', 'like', `payroll:${report.id}:%`)
            .execute()
        ).map((r) => r.reference);
      // The release posts the batch inside the request; its answer never comes.
      const release = fetch(`${server.baseUrl}${approveUrl}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ authorization }),
      }).then(
        (r) => r.status,
        () => 'cut off' as const,
      );
      const deadline = Date.now() + 30_000;
      while ((await posted()).length < KILL_AFTER_CHUNKS * CHUNK) {
        assert.ok(Date.now() < deadline, `the release posted nothing:\n${server.output()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      await server.kill('SIGKILL');
      assert.equal(await release, 'cut off');
      const beforeRestart = (await posted()).length;
      assert.ok(beforeRestart < expected.size, `killed halfway (${beforeRestart} of ${expected.size} posted)`);
      const pending = await db.kysely
        .selectFrom('corp_batch_line')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('batch_id', '=', report.id)
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      // Lines and their postings commit together: what is posted is exactly what is no longer pending.
      assert.equal(Number(pending.n), expected.size - beforeRestart);
      t.diagnostic(`${beforeRestart} of ${expected.size} lines posted when the server was killed`);

      // The new process resumes the batch on its own.
      server = await startServerProcess(url, env);
      // Generous: on a machine shared with other test runs the 13 remaining chunks may take a while.
      const resumeDeadline = Date.now() + 60_000;
      for (;;) {
        const batch = await db.kysely
          .selectFrom('corp_batch')
          .select('state')
          .where('id', '=', report.id)
          .executeTakeFirstOrThrow();
        if (batch.state === 'completed') break;
        assert.ok(
          Date.now() < resumeDeadline,
          `the batch did not resume (${(await posted()).length} posted):\n${server.output()}`,
        );
        await new Promise((r) => setTimeout(r, 50));
      }
      const references = await posted();
      assert.equal(references.length, expected.size);
      assert.equal(new Set(references).size, expected.size, 'each line posted once');
      const lines = await db.kysely
        .selectFrom('corp_batch_line')
        .innerJoin('journal_entry', 'journal_entry.id', 'corp_batch_line.entry_id')
        .select(['corp_batch_line.line_no', 'corp_batch_line.status', 'journal_entry.reference'])
        .where('corp_batch_line.batch_id', '=', report.id)
        .execute();
      assert.equal(lines.length, expected.size, 'every line names its entry');
      for (const line of lines) {
        assert.equal(line.status, 'posted');
        assert.equal(line.reference, `payroll:${report.id}:${line.line_no}`);
        assert.ok(expected.has(Number(line.line_no)), `line ${line.line_no} was a good one`);
      }
      const balances = await balancesOf(db.kysely, [zhang.accounts[0]!.id, li.accounts[0]!.id]);
      const received = [...balances.values()].reduce((sum, b) => sum + b.postedFen, 0);
      assert.equal(
        received,
        [...expected.values()].reduce((a, b) => a + b, 0),
      );

      // The maker reads the results from the new process: every line a success.
      const result = await fetch(`${server.baseUrl}/api/v1/corporate/batches/${report.id}/result.csv`, {
        headers: { cookie: [...maker.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      assert.equal(result.status, 200);
      const text = await result.text();
      assert.equal(text.trim().split('\n').length, expected.size + 1);
      assert.equal(text.match(/,成功,/g)?.length, expected.size);
      assert.deepEqual(await checkLedgerInvariants(db.kysely), []);
      const audit = await verifyAuditLog(db.kysely);
      assert.ok(audit.ok, `the audit chains verify after the kill: ${JSON.stringify(audit)}`);
    });
  });
}

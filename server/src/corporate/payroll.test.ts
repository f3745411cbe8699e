import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, type TestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { approvePayment } from './instructions.ts';
import { resumeBatches } from './payroll.ts';
import { corpSessionOf } from './sessions.ts';
import { addOperator, onboardEnterprise, signed, type TestEnterprise, type TestOperator } from './test-support.ts';

/** GBK bytes of the few characters the test's names use (GB 2312 code points), to build a GBK file by hand. */
const GBK: Record<string, number[]> = {
  张: [0xd5, 0xc5],
  三: [0xc8, 0xfd],
  李: [0xc0, 0xee],
  四: [0xcb, 0xc4],
  工: [0xb9, 0xa4],
  资: [0xd7, 0xca],
};
function gbk(text: string): Buffer {
  return Buffer.from([...text].flatMap((c) => GBK[c] ?? [c.charCodeAt(0)]));
}

/** Payroll batches (issue 19, item 4), on both databases. */
for (const dialect of DIALECTS) {
  describe(`payroll batches [${dialect}]`, () => {
    let t: TestApp;
    let ent: TestEnterprise;
    let maker: TestOperator;
    let checker: TestOperator;
    let zhang: TestCustomer;
    let li: TestCustomer;
    before(async () => {
      t = await createTestApp(dialect);
      ent = await onboardEnterprise(t, { uscc: '9144030071526726XG', balanceFen: 1_000_000_000 });
      const deps = { config: t.ctx.config, clock: t.clock };
      zhang = await createTestCustomer(t.db.handle.kysely, deps, { name: '张三', balancesFen: [0] });
      li = await createTestCustomer(t.db.handle.kysely, deps, { name: '李四', balancesFen: [0] });
      maker = await addOperator(t, ent, { role: 'maker', single: '5000000.00', daily: '5000000.00' });
      checker = await addOperator(t, ent, { role: 'checker', single: '5000000.00', daily: '5000000.00' });
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
    });
    after(() => t.close());

    const upload = (content: Buffer, fileName = 'payroll.csv') =>
      maker.client.post('/api/v1/corporate/batches', {
        fromAccountId: ent.accountId,
        fileName,
        content: content.toString('base64'),
      });

    test('a GBK file reads as the same text as UTF-8', async () => {
      const lines = `账号,户名,金额,附言\n${zhang.accounts[0]!.account_number},张三,10.00,工资\n${li.accounts[0]!.account_number},李四,20.00,工资\n`;
      const utf8 = json(await upload(Buffer.from(lines)));
      const fromGbk = await upload(gbk(lines), 'payroll-gbk.csv');
      assert.equal(fromGbk.statusCode, 201, fromGbk.body);
      const report = json(fromGbk);
      assert.equal(report.encoding, 'gbk');
      assert.equal(utf8.encoding, 'utf-8');
      assert.deepEqual([report.count, report.total.amount, report.bad], [2, '30.00', []]);
      assert.equal(report.linesSha256, utf8.linesSha256, 'the same lines, whatever the encoding');
    });

    test('1,000 lines with 3 bad ones: the report names them; the rest post exactly once across a crash', async () => {
      const rows = ['账号,户名,金额,附言'];
      let expectedFen = 0;
      for (let i = 1; i <= 1000; i++) {
        const line = i + 1;
        const payee = i % 2 === 0 ? zhang : li;
        const name = i % 2 === 0 ? '张三' : '李四';
        if (line === 101) rows.push(`12AB,${name},100.00,工资`);
        else if (line === 502) rows.push(`${payee.accounts[0]!.account_number},${name},-5.00,工资`);
        else if (line === 903) rows.push(`${payee.accounts[0]!.account_number},王五,100.00,工资`);
        else {
          rows.push(`${payee.accounts[0]!.account_number},${name},${(100 + i).toFixed(2)},工资`);
          expectedFen += (100 + i) * 100;
        }
      }
      const uploaded = await upload(Buffer.from(rows.join('\r\n')));
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const report = json(uploaded);
      assert.deepEqual(
        report.bad.map((b: { line: number; reason: string }) => `${b.line}:${b.reason}`),
        ['101:account_format', '502:amount', '903:payee_mismatch'],
      );
      assert.equal(report.count, 997);
      assert.equal(report.total.amount, (expectedFen / 100).toFixed(2));
      const submitted = await maker.client.post(`/api/v1/corporate/payments/${report.instructionId}/submit`);
      assert.equal(submitted.statusCode, 200, submitted.body);
      const asked = json(await checker.client.post(`/api/v1/corporate/payments/${report.instructionId}/approve`, {}));
      assert.equal(asked.status, 'authorization_required');

      // The release posts 5 chunks of 64 lines, then the server "dies".
      const session = await corpSessionOf(t.ctx, checker.client.cookies.get('jinku_corp_sid'));
      assert.ok(session);
      const released = await approvePayment(
        t.ctx,
        session,
        report.instructionId,
        {
          method: 'u_shield',
          challengeId: asked.challengeId,
          response: checker.key.assert(asked.authorization.challenge.options),
        },
        null,
        5,
      );
      assert.equal(released.status, 200);
      const countEntries = async () =>
        (
          await t.db.handle.kysely
            .selectFrom('journal_entry')
            .select('reference')
            .where('reference', 'like', `payroll:${report.id}:%`)
            .execute()
        ).map((r) => r.reference);
      assert.equal((await countEntries()).length, 320);

      // A new process on the same database resumes the batch; running it again posts nothing more.
      const restarted = await createTestApp(dialect, { db: t.db });
      try {
        assert.equal(await resumeBatches(restarted.ctx), 1);
        assert.equal(await resumeBatches(restarted.ctx), 0);
      } finally {
        await restarted.app.close();
      }
      const references = await countEntries();
      assert.equal(references.length, 997);
      assert.equal(new Set(references).size, 997, 'each line posted once');
      const balances = await balancesOf(t.db.handle.kysely, [zhang.accounts[0]!.id, li.accounts[0]!.id]);
      const received = [...balances.values()].reduce((sum, b) => sum + b.postedFen, 0);
      // The GBK test's batches were never submitted: only this batch paid them.
      assert.equal(received, expectedFen);
      const view = json(await maker.client.get(`/api/v1/corporate/batches/${report.id}`));
      assert.deepEqual([view.state, view.posted, view.failed, view.pending], ['completed', 997, 0, 0]);
      const result = await maker.client.get(`/api/v1/corporate/batches/${report.id}/result.csv`);
      assert.equal(result.statusCode, 200);
      assert.equal(result.body.trim().split('\n').length, 998);
      assert.match(result.body, /成功/);
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAuditLog } from '../audit/index.ts';
import { balancesOf, checkLedgerInvariants } from '../ledger/index.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, type TestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { sweepCorporate } from './worker.ts';
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

    test('lines to other banks wait in clearing, then settle or come back to the enterprise once', async () => {
      const otherSettles = '6214830000123456';
      // The clearing simulator returns payments to account numbers ending in 0000 (payments/clearing.ts).
      const otherReturns = '6214830000120000';
      const lines = [
        '账号,户名,金额,附言,行号',
        `${zhang.accounts[0]!.account_number},张三,100.00,工资`,
        `${otherSettles},赵六,200.00,工资,102`,
        `${otherReturns},钱七,300.00,工资,105`,
        `${li.accounts[0]!.account_number},李四,400.00,工资,888`,
      ].join('\n');
      const report = json(await upload(Buffer.from(lines)));
      assert.deepEqual([report.count, report.total.amount, report.bad], [4, '1000.00', []]);
      const [before] = [...(await balancesOf(t.db.handle.kysely, [ent.accountId])).values()];
      const submitted = await maker.client.post(`/api/v1/corporate/payments/${report.instructionId}/submit`);
      assert.equal(submitted.statusCode, 200, submitted.body);
      const released = await signed(checker, 'POST', `/api/v1/corporate/payments/${report.instructionId}/approve`, {});
      assert.equal(released.statusCode, 200, released.body);
      const view = json(await maker.client.get(`/api/v1/corporate/batches/${report.id}`));
      assert.deepEqual(
        [view.state, view.posted, view.inClearing, view.returned],
        ['completed', 4, 2, 0],
        "the other banks' lines left the account for clearing",
      );
      const waiting = (await maker.client.get(`/api/v1/corporate/batches/${report.id}/result.csv`)).body;
      assert.equal(waiting.match(/,清算中,/g)?.length, 2);

      // Nothing is answered before clearing's time; after it, each line once.
      assert.equal((await sweepCorporate(t.ctx)).answered, 0);
      t.clock.advance((t.ctx.config.clearingSettleDelaySeconds + 1) * 1000);
      assert.equal((await sweepCorporate(t.ctx)).answered, 2);
      assert.equal((await sweepCorporate(t.ctx)).answered, 0);
      const answered = json(await maker.client.get(`/api/v1/corporate/batches/${report.id}`));
      assert.deepEqual([answered.posted, answered.inClearing, answered.returned], [4, 0, 1]);
      const [after] = [...(await balancesOf(t.db.handle.kysely, [ent.accountId])).values()];
      // ¥300.00 came back: the enterprise paid ¥700.00 in the end.
      assert.equal(before!.postedFen - after!.postedFen, 70_000);
      const result = (await maker.client.get(`/api/v1/corporate/batches/${report.id}/result.csv`)).body;
      const rows = result.trim().split('\n').slice(1);
      assert.equal(rows.length, 4);
      assert.match(rows[1]!, /^3,6214830000123456,赵六,200\.00,成功,/);
      assert.match(rows[2]!, /^4,6214830000120000,钱七,300\.00,已退回,\S+ clearing\.account_does_not_exist$/);
      const returns = await t.db.handle.kysely
        .selectFrom('journal_entry')
        .select(['kind', 'reference'])
        .where('reference', 'in', [`payroll:${report.id}:3`, `payroll:${report.id}:4`])
        .orderBy('reference')
        .execute();
      assert.deepEqual(returns.map((r) => `${r.reference.split(':')[2]}:${r.kind}`).sort(), [
        '3:clearing_settle',
        '3:corporate_payroll',
        '4:clearing_return',
        '4:corporate_payroll',
      ]);
      assert.deepEqual(await checkLedgerInvariants(t.db.handle.kysely), []);
      assert.ok((await verifyAuditLog(t.db.handle.kysely)).ok);
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { bankAccountId, postEntry, vaultCode } from '../ledger/index.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer, TEST_BRANCH, type TestCustomer } from '../testing/bank.ts';
import { DIALECTS } from '../testing/database.ts';
import { pdfText } from '../testing/pdf-text.ts';
import { signedInClient } from '../testing/session.ts';
import type { TestClient } from '../testing/client.ts';

const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`accounts, history and statements over HTTP [${dialect}]`, () => {
    let t: TestApp;
    let zhang: TestCustomer;
    let client: TestClient;
    // 2026-03-10 23:30 in Beijing is 15:30 UTC the same day: a posting that UTC would file a day early.
    const lateEveningMs = Date.UTC(2026, 2, 10, 15, 30);
    before(async () => {
      t = await createTestApp(dialect);
      const deps = { config: t.ctx.config, clock: t.clock };
      zhang = await createTestCustomer(t.db.handle.kysely, deps, { name: '张伟', balancesFen: [100_000, 0] });
      client = await signedInClient(t, zhang);
      // The first account opened before the March postings below; the second opens today.
      await t.db.handle.kysely
        .updateTable('account')
        .set({ opened_at_ms: Date.UTC(2026, 2, 1) })
        .where('id', '=', zhang.accounts[0]!.id)
        .execute();
      await withTransaction(t.db.handle.kysely, async (trx) =>
        postEntry(trx, {
          kind: 'cash_deposit',
          reference: `late:${zhang.accounts[0]!.id}`,
          memo: '晚间存款',
          postedAtMs: lateEveningMs,
          postings: [
            { accountId: await bankAccountId(trx, vaultCode(TEST_BRANCH)), amountFen: -2_500 },
            { accountId: zhang.accounts[0]!.id, amountFen: 2_500 },
          ],
        }),
      );
    });
    after(() => t.close());
    const url = (path: string) => `/api/v1/accounts/${zhang.accounts[0]!.id}${path}`;

    test('the account list keeps every field the web app reads, numbers masked', async () => {
      const list = json(await client.get('/api/v1/accounts'));
      assert.equal(list.items.length, 2);
      const first = list.items.find((a: { id: string }) => a.id === zhang.accounts[0]!.id);
      assert.deepEqual(Object.keys(first).sort(), [
        'available',
        'balance',
        'currency',
        'id',
        'number',
        'status',
        'type',
      ]);
      assert.deepEqual(first.balance, { amount: '1025.00', currency: 'CNY' });
      assert.equal(first.type, 'debit_card');
      assert.equal(first.status, 'active');
      assert.match(first.number, /^\d{4} \*{4} \*{4} \d{4}$/);
    });

    test('one account in full shows its numbers to its owner and is never cached', async () => {
      const response = await client.get(url(''));
      assert.equal(response.headers['cache-control'], 'no-store');
      const detail = json(response);
      assert.equal(detail.cardNumber, zhang.accounts[0]!.card_number);
      assert.equal(detail.accountNumber, zhang.accounts[0]!.account_number);
      assert.equal(detail.branchCode, TEST_BRANCH);
      assert.match(detail.openedAt, /^\d{4}-\d{2}-\d{2}T/);
      assert.equal(detail.available.amount, '1025.00');
    });

    test('someone else’s account answers like one that does not exist, on every account route', async () => {
      const li = await createTestCustomer(t.db.handle.kysely, { config: t.ctx.config, clock: t.clock });
      for (const path of ['', '/transactions', '/balance-history', '/statement']) {
        const response = await client.get(`/api/v1/accounts/${li.accounts[0]!.id}${path}`);
        assert.equal(response.statusCode, 404, path);
        assert.equal(json(response).code, 'account.not_found');
      }
    });

    test('history filters by whole Beijing-time days and pages with a cursor', async () => {
      const day = json(await client.get(url('/transactions?from=2026-03-10&to=2026-03-10')));
      assert.deepEqual(
        day.items.map((i: { memo: string }) => i.memo),
        ['晚间存款'],
      );
      assert.deepEqual(Object.keys(day.items[0]).sort(), [
        'amount',
        'balanceAfter',
        'counterparty',
        'id',
        'memo',
        'postedAt',
        'serial',
        'transferId',
      ]);
      assert.equal(day.items[0].transferId, null, 'a cash deposit has no transfer receipt');
      assert.match(day.items[0].serial, /^[0-9a-f-]{36}$/);
      assert.equal(day.nextCursor, null);
      const utcDay = json(await client.get(url('/transactions?from=2026-03-11&to=2026-03-11')));
      assert.equal(utcDay.items.length, 0, 'not filed under the UTC date');
      const first = json(await client.get(url('/transactions?limit=1')));
      assert.equal(first.items.length, 1);
      assert.ok(first.nextCursor);
      const second = json(await client.get(url(`/transactions?limit=1&cursor=${first.nextCursor}`)));
      assert.notEqual(second.items[0].id, first.items[0].id);
    });

    test('a date that does not exist or a forged cursor is a 400, not a 500', async () => {
      for (const path of ['/transactions?from=2026-02-30', '/statement?to=2026-13-01', '/transactions?cursor=bm9wZQ']) {
        const response = await client.get(url(path));
        assert.equal(response.statusCode, 400, path);
        assert.equal(json(response).code, 'request.invalid');
      }
    });

    test('the balance chart ends today and counts a late-evening posting on its Beijing date', async () => {
      const chart = json(await client.get(url('/balance-history?days=3')));
      assert.equal(chart.items.length, 3);
      assert.equal(chart.openedOn, '2026-03-01');
      assert.deepEqual(Object.keys(chart.items[0]).sort(), ['balance', 'date']);
      assert.equal(chart.items.at(-1).balance.amount, '1025.00');
      t.clock.setOffset(lateEveningMs + HOUR - Date.now());
      try {
        const then = json(await client.get(url('/balance-history?days=2')));
        assert.deepEqual(
          then.items.map((d: { date: string; balance: { amount: string } }) => [d.date, d.balance.amount]),
          [
            ['2026-03-10', '25.00'],
            ['2026-03-11', '25.00'],
          ],
        );
      } finally {
        t.clock.setOffset(0);
      }
    });

    test('the balance chart starts on the day the account opened, not before', async () => {
      const chart = json(await client.get(`/api/v1/accounts/${zhang.accounts[1]!.id}/balance-history?days=90`));
      assert.equal(chart.items.length, 1, 'opened today: one point');
      assert.equal(chart.items[0].date, chart.openedOn);
      t.clock.setOffset(Date.UTC(2026, 2, 2, 12) - Date.now());
      try {
        const early = json(await client.get(url('/balance-history?days=30')));
        assert.deepEqual(
          early.items.map((d: { date: string }) => d.date),
          ['2026-03-01', '2026-03-02'],
        );
      } finally {
        t.clock.setOffset(0);
      }
    });

    test('a statement lists the period’s postings in Beijing time, as CSV or PDF, as an attachment', async () => {
      const csv = await client.get(url('/statement?from=2026-03-01&to=2026-03-31'));
      assert.match(csv.headers['content-type'] as string, /^text\/csv/);
      assert.match(
        csv.headers['content-disposition'] as string,
        /^attachment; filename="statement-\d{4}-2026-03-31\.csv"$/,
      );
      const rows = csv.body.trim().split('\r\n');
      assert.equal(rows.length, 2);
      assert.equal(rows[1], '2026-03-10T23:30:00+08:00,晚间存款,,25.00,1025.00');
      const pdf = await client.get(url('/statement?from=2026-03-01&to=2026-03-31&format=pdf'));
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, '');
      assert.ok(text.includes('2026-03-01—2026-03-31'), 'the period as local dates');
      assert.ok(text.includes('2026-03-1023:30'), 'the posting in local time');
      assert.ok(text.includes('Openingbalance:¥1,000.00'), 'the balance before the first line');
      assert.ok(text.includes('Closingbalance:¥1,025.00'), 'the balance after the last line');
      // A period without postings opens and closes at the balance the last posting before it left.
      const quiet = await client.get(url('/statement?from=2026-04-01&to=2026-04-30&format=pdf'));
      const quietText = (await pdfText(quiet.rawPayload)).replace(/\s+/g, '');
      assert.ok(quietText.includes('Openingbalance:¥1,025.00'), quietText);
      assert.ok(quietText.includes('Closingbalance:¥1,025.00'));
    });

    test('a statement covers 1 to 366 days', async () => {
      for (const query of ['from=2026-03-02&to=2026-03-01', 'from=2025-01-01&to=2026-03-01']) {
        const response = await client.get(url(`/statement?${query}`));
        assert.equal(response.statusCode, 400, query);
      }
      assert.equal((await client.get(url('/statement?from=2025-03-01&to=2026-02-28'))).statusCode, 200);
    });

    test('history keeps income or expenses, finds text in counterparty or memo, and names a transfer for its receipt', async () => {
      const own = await client.post(
        '/api/v1/transfers',
        {
          fromAccountId: zhang.accounts[0]!.id,
          payee: { name: zhang.name, accountNumber: zhang.accounts[1]!.account_number },
          amount: { amount: '3.00', currency: 'CNY' },
          memo: 'Rent 100%_March',
        },
        { 'idempotency-key': 'history-filters' },
      );
      assert.equal(own.statusCode, 201);
      const transferId = json(own).id;
      const memos = (page: { items: { memo: string }[] }) => page.items.map((i) => i.memo);
      const out = json(await client.get(url('/transactions?direction=out')));
      assert.deepEqual(memos(out), ['Rent 100%_March']);
      assert.equal(out.items[0].amount.amount, '-3.00');
      assert.equal(out.items[0].serial, transferId, 'the serial the result page showed');
      assert.equal(out.items[0].transferId, transferId);
      const receipt = await client.get(`/api/v1/transfers/${out.items[0].transferId}/receipt`);
      assert.equal(receipt.statusCode, 200);
      const income = json(await client.get(url('/transactions?direction=in')));
      assert.ok(income.items.length >= 2);
      assert.ok(income.items.every((i: { amount: { amount: string } }) => !i.amount.amount.startsWith('-')));
      // The credit side of the same transfer, on the other account, carries its serial but not the receipt.
      const credit = json(await client.get(`/api/v1/accounts/${zhang.accounts[1]!.id}/transactions?direction=in`));
      assert.equal(credit.items[0].serial, transferId);
      assert.equal(credit.items[0].transferId, null);
      // Any case; the customer's % and _ are letters, not wildcards.
      assert.deepEqual(memos(json(await client.get(url(`/transactions?q=${encodeURIComponent('rent 100%_')}`)))), [
        'Rent 100%_March',
      ]);
      assert.equal(json(await client.get(url(`/transactions?q=${encodeURIComponent('100__')}`))).items.length, 0);
      assert.equal(json(await client.get(url('/transactions?q=%25'))).items.length, 1);
      assert.deepEqual(memos(json(await client.get(url(`/transactions?q=${encodeURIComponent('晚间')}`)))), [
        '晚间存款',
      ]);
      // The counterparty is searched too (the masked name of the other party).
      const byParty = json(await client.get(url(`/transactions?q=${encodeURIComponent('张*')}`)));
      assert.deepEqual(memos(byParty), ['Rent 100%_March']);
      assert.equal(json(await client.get(url('/transactions?direction=in&q=rent'))).items.length, 0);
      // Filters and the cursor together: page by page, the same filtered list.
      const first = json(await client.get(url('/transactions?direction=in&limit=1')));
      assert.ok(first.nextCursor);
      const second = json(await client.get(url(`/transactions?direction=in&limit=1&cursor=${first.nextCursor}`)));
      assert.ok(second.items.every((i: { amount: { amount: string } }) => !i.amount.amount.startsWith('-')));
      assert.notEqual(second.items[0].id, first.items[0].id);
    });

    test('an unknown direction or an empty or overlong search is a 400', async () => {
      for (const path of [
        '/transactions?direction=sideways',
        '/transactions?q=',
        `/transactions?q=${'x'.repeat(51)}`,
      ]) {
        const response = await client.get(url(path));
        assert.equal(response.statusCode, 400, path);
        assert.equal(json(response).code, 'request.invalid');
      }
    });

    test('the OpenAPI document describes every account answer', async () => {
      const openapi = t.app.swagger() as { paths: Record<string, any> };
      for (const path of ['', '/{id}', '/{id}/transactions', '/{id}/balance-history']) {
        const ok = openapi.paths[`/api/v1/accounts${path}`].get.responses['200'];
        assert.ok(ok.content['application/json'].schema, path);
      }
      const statement = openapi.paths['/api/v1/accounts/{id}/statement'].get.responses['200'];
      assert.deepEqual(Object.keys(statement.content).sort(), ['application/pdf', 'text/csv']);
    });
  });
}

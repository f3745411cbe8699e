import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAuditLog } from '../audit/index.ts';
import { setAccountStatus } from '../customers/service.ts';
import { checkLedgerInvariants } from '../ledger/index.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { createTestApp, json, type TestApp } from '../testing/app.ts';
import { createTestCustomer } from '../testing/bank.ts';
import { signedInClient } from '../testing/session.ts';
import { DIALECTS } from '../testing/database.ts';
import { ownTransferBatches } from './own-transfers.ts';

for (const dialect of DIALECTS)
  describe(`own-account transfers in batches write what one alone writes [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const chains = dialect === 'postgres' ? 8 : 1;
    const deps = () => ({ config: t.ctx.config, clock: t.clock });
    const db = () => t.db.handle.kysely;

    async function customerWithClient(balancesFen: number[]) {
      const customer = await createTestCustomer(db(), deps(), { name: '欧阳娜娜', balancesFen });
      return { customer, client: await signedInClient(t, customer) };
    }

    /** Everything a transfer wrote, without ids and times, which differ between any two transfers. */
    async function written(transferId: string) {
      const transfer = await db()
        .selectFrom('transfer')
        .selectAll()
        .where('id', '=', transferId)
        .executeTakeFirstOrThrow();
      const entry = await db()
        .selectFrom('journal_entry')
        .selectAll()
        .where('id', '=', transfer.entry_id as string)
        .executeTakeFirstOrThrow();
      const postings = await db()
        .selectFrom('posting')
        .selectAll()
        .where('entry_id', '=', entry.id)
        .orderBy('amount_fen')
        .execute();
      const audit = await db()
        .selectFrom('audit_log')
        .selectAll()
        .where('subject_id', '=', transferId)
        .executeTakeFirstOrThrow();
      const { id, entry_id, created_at_ms, authorize_by_ms, completed_at_ms, ...transferRest } = transfer;
      assert.ok(completed_at_ms !== null && completed_at_ms >= created_at_ms);
      assert.equal(authorize_by_ms, created_at_ms + 300_000);
      return {
        transfer: transferRest,
        entry: {
          kind: entry.kind,
          memo: entry.memo,
          referencesTransfer: entry.reference === id,
          at: entry.posted_at_ms === completed_at_ms,
        },
        postings: postings.map((p) => ({
          account: p.ledger_account_id,
          amount: p.amount_fen,
          counterparty: p.counterparty,
          memo: p.memo,
        })),
        audit: {
          kind: audit.kind,
          actor: [audit.actor_type, audit.actor_id],
          subject: audit.subject_type,
          details: { ...JSON.parse(audit.details), entryId: JSON.parse(audit.details).entryId === entry_id },
        },
      };
    }

    test('the same rows, postings, audit entry and answer as a transfer to a saved payee, which comes alone', async () => {
      const { customer, client } = await customerWithClient([100_000, 0]);
      const body = {
        fromAccountId: customer.accounts[0]!.id,
        payee: { name: '欧阳娜娜', accountNumber: customer.accounts[1]!.account_number },
        amount: { amount: '12.34', currency: 'CNY' },
        memo: '房租',
      };
      const saved = json(await client.post('/api/v1/payees', body.payee));
      // Typed in, it goes in this turn's batch; to a saved payee ("transfer again"), it comes alone.
      const batchesBefore = ownTransferBatches.transfers;
      const fast = await client.post('/api/v1/transfers', body, { 'idempotency-key': 'fast-1' });
      assert.equal(ownTransferBatches.transfers, batchesBefore + 1);
      const { payee: _payee, ...rest } = body;
      const general = await client.post('/api/v1/transfers', { ...rest, payeeId: saved.id });
      assert.equal(ownTransferBatches.transfers, batchesBefore + 1);
      assert.equal(fast.statusCode, 201);
      assert.equal(general.statusCode, 201);
      const { id: fastId, createdAt: _a, completedAt: _b, ...fastView } = json(fast);
      const { id: generalId, createdAt: _c, completedAt: _d, ...generalView } = json(general);
      assert.deepEqual(fastView, generalView);
      assert.deepEqual(await written(fastId), await written(generalId));
      const balances = await db()
        .selectFrom('posting')
        .select(['ledger_account_id', 'balance_after_fen'])
        .where('entry_id', 'in', [
          (await db().selectFrom('transfer').select('entry_id').where('id', '=', fastId).executeTakeFirstOrThrow())
            .entry_id as string,
        ])
        .orderBy('amount_fen')
        .execute();
      assert.deepEqual(
        balances.map((b) => b.balance_after_fen),
        [100_000 - 1234, 1234],
      );
      const stored = await db()
        .selectFrom('idempotency_key')
        .selectAll()
        .where('scope', '=', `transfer:${customer.id}`)
        .where('key', '=', 'fast-1')
        .executeTakeFirstOrThrow();
      assert.equal(stored.state, 'done');
      assert.equal(stored.response_status, 201);
      assert.equal(stored.response_body, fast.body);
      assert.deepEqual(await verifyAuditLog(db()), { ok: true, rows: (await verifyAuditLog(db())).rows, chains });
      assert.deepEqual(await checkLedgerInvariants(db()), []);
    });

    test('requests racing with one key: the money moves once, every answer is that transfer or a 409', async () => {
      const { customer, client } = await customerWithClient([100_000, 0]);
      const body = {
        fromAccountId: customer.accounts[0]!.id,
        payee: { name: '欧阳娜娜', accountNumber: customer.accounts[1]!.card_number as string },
        amount: { amount: '1.00', currency: 'CNY' },
      };
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => client.post('/api/v1/transfers', body, { 'idempotency-key': 'race-1' })),
      );
      const done = answers.filter((a) => a.statusCode === 201);
      const busy = answers.filter((a) => a.statusCode === 409);
      assert.equal(done.length + busy.length, answers.length);
      assert.ok(done.length >= 1);
      assert.equal(new Set(done.map((a) => json(a).id)).size, 1);
      for (const a of busy) assert.equal(json(a).code, 'request.idempotency_in_flight');
      const transfers = await db().selectFrom('transfer').select('id').where('customer_id', '=', customer.id).execute();
      assert.equal(transfers.length, 1);
    });

    test('what is not the plain case gets the general path’s refusal, and writes nothing', async () => {
      const { customer, client } = await customerWithClient([1_000, 0]);
      const other = await createTestCustomer(db(), deps(), { name: '李娜' });
      const base = {
        fromAccountId: customer.accounts[0]!.id,
        payee: { name: '欧阳娜娜', accountNumber: customer.accounts[1]!.account_number },
        amount: { amount: '1.00', currency: 'CNY' },
      };
      const refusal = async (body: unknown, key: string) => {
        const answer = await client.post('/api/v1/transfers', body, { 'idempotency-key': key });
        return [answer.statusCode, json(answer).code];
      };
      assert.deepEqual(await refusal({ ...base, amount: { amount: '10.01', currency: 'CNY' } }, 'no-1'), [
        422,
        'payment.insufficient_funds',
      ]);
      assert.deepEqual(await refusal({ ...base, payee: { ...base.payee, name: '欧阳' } }, 'no-2'), [
        422,
        'payment.payee_name_mismatch',
      ]);
      assert.deepEqual(
        await refusal(
          { ...base, payee: { name: '欧阳娜娜', accountNumber: customer.accounts[0]!.account_number } },
          'no-3',
        ),
        [422, 'payment.same_account'],
      );
      await withTransaction(db(), (trx) => setAccountStatus(trx, deps(), customer.accounts[0]!.id, 'frozen'));
      assert.deepEqual(await refusal(base, 'no-4'), [422, 'payment.account_unavailable']);
      const transfers = await db().selectFrom('transfer').select('id').where('customer_id', '=', customer.id).execute();
      assert.equal(transfers.length, 0);
      // A transfer to another customer's account is not for the batch: it waits for the SMS code.
      await withTransaction(db(), (trx) => setAccountStatus(trx, deps(), customer.accounts[0]!.id, 'active'));
      const toOther = await client.post(
        '/api/v1/transfers',
        { ...base, payee: { name: '李娜', accountNumber: other.accounts[0]!.account_number } },
        { 'idempotency-key': 'other-1' },
      );
      assert.equal(json(toOther).status, 'authorization_required');
    });

    test('transfers that arrive together share one batch; each is answered as if it had come alone', async () => {
      const { customer, client } = await customerWithClient([10_000, 0]);
      const [from, to] = customer.accounts as [(typeof customer.accounts)[0], (typeof customer.accounts)[0]];
      const transfer = (amount: string, name = '欧阳娜娜') => ({
        fromAccountId: from.id,
        payee: { name, accountNumber: to.account_number },
        amount: { amount, currency: 'CNY' },
      });
      const callsBefore = ownTransferBatches.calls;
      const carriedBefore = ownTransferBatches.transfers;
      let completedFen = 0;
      // Requests sent at once usually meet in one batch; a few bursts make sure some did.
      for (
        let burst = 0;
        burst < 10 && ownTransferBatches.transfers - carriedBefore <= ownTransferBatches.calls - callsBefore;
        burst++
      ) {
        const answers = await Promise.all([
          client.post('/api/v1/transfers', transfer('1.00'), { 'idempotency-key': `b${burst}-1` }),
          client.post('/api/v1/transfers', transfer('2.00'), { 'idempotency-key': `b${burst}-2` }),
          client.post('/api/v1/transfers', transfer('1000.00'), { 'idempotency-key': `b${burst}-poor` }),
          client.post('/api/v1/transfers', transfer('1.00', '欧阳'), { 'idempotency-key': `b${burst}-name` }),
          client.post('/api/v1/transfers', transfer('3.00'), { 'idempotency-key': `b${burst}-dup` }),
          client.post('/api/v1/transfers', transfer('3.00'), { 'idempotency-key': `b${burst}-dup` }),
        ]);
        assert.deepEqual(
          answers.slice(0, 4).map((a) => [a.statusCode, a.statusCode === 201 ? json(a).status : json(a).code]),
          [
            [201, 'completed'],
            [201, 'completed'],
            [422, 'payment.insufficient_funds'],
            [422, 'payment.payee_name_mismatch'],
          ],
        );
        // The same key twice: one transfer; the other answer is that transfer again or "still in flight".
        const dup = answers.slice(4);
        const dupDone = dup.filter((a) => a.statusCode === 201);
        assert.ok(dupDone.length >= 1);
        assert.equal(new Set(dupDone.map((a) => json(a).id)).size, 1);
        for (const a of dup.filter((a) => a.statusCode !== 201))
          assert.equal(json(a).code, 'request.idempotency_in_flight');
        completedFen += 600;
      }
      assert.ok(
        ownTransferBatches.transfers - carriedBefore > ownTransferBatches.calls - callsBefore,
        'some batch carried more than one transfer',
      );
      const balance = await db()
        .selectFrom('ledger_account')
        .select('posted_fen')
        .where('id', '=', from.id)
        .executeTakeFirstOrThrow();
      assert.equal(balance.posted_fen, 10_000 - completedFen);
      const transfers = await db().selectFrom('transfer').select('id').where('customer_id', '=', customer.id).execute();
      assert.equal(transfers.length, (completedFen / 600) * 3);
      assert.deepEqual(await checkLedgerInvariants(db()), []);
      assert.equal((await verifyAuditLog(db())).ok, true);
    });
  });

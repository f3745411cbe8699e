import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../testing/database.ts';
import {
  beginIdempotent,
  canonicalJson,
  finishIdempotent,
  IDEMPOTENCY_RETENTION_MS,
  purgeExpiredIdempotencyKeys,
  releaseIdempotent,
  requestHash,
  requireProceed,
} from './idempotency.ts';
import { openFunded, postedOf, setupBank, T0, transfer } from './test-fixtures.ts';

const LEASE = 30_000;

test('the request hash ignores key order but not values, method or URL', () => {
  const h = requestHash('POST', '/api/v1/transfers', { amount: '1.00', to: { account: '1', name: '李娜' } });
  assert.equal(h, requestHash('post', '/api/v1/transfers', { to: { name: '李娜', account: '1' }, amount: '1.00' }));
  assert.notEqual(h, requestHash('POST', '/api/v1/transfers', { amount: '1.01', to: { account: '1', name: '李娜' } }));
  assert.notEqual(h, requestHash('PUT', '/api/v1/transfers', { amount: '1.00', to: { account: '1', name: '李娜' } }));
  assert.notEqual(h, requestHash('POST', '/api/v1/payees', { amount: '1.00', to: { account: '1', name: '李娜' } }));
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(
    canonicalJson({ b: [1, { d: 1, c: null }], a: 'x', u: undefined }),
    '{"a":"x","b":[1,{"c":null,"d":1}]}',
  );
});

for (const dialect of DIALECTS) {
  describe(`idempotency keys [${dialect}]`, () => {
    let t: TestDatabase;
    let vault: string;
    before(async () => {
      t = await openTestDatabase(dialect);
      vault = await setupBank(t.handle.kysely);
    });
    after(() => t.drop());
    const db = () => t.handle.kysely;
    let n = 0;
    const nextKey = () => ({ scope: 'customer-1', key: `key-${++n}` });
    const hashA = requestHash('POST', '/api/v1/transfers', { amount: '10.00' });
    const hashB = requestHash('POST', '/api/v1/transfers', { amount: '99.00' });

    /** The way payments will use it: reserve, then do the work and store the answer in one transaction. */
    async function idempotentTransfer(
      ref: { scope: string; key: string },
      hash: string,
      from: string,
      to: string,
      nowMs = T0,
    ) {
      const start = requireProceed(await beginIdempotent(db(), { ...ref, requestHash: hash, nowMs, leaseMs: LEASE }));
      if (start.kind === 'replay') return { status: start.status, body: start.body, replayed: true };
      return withTransaction(db(), async (trx) => {
        const posted = await transfer(trx, from, to, 1_000, nowMs);
        const body = JSON.stringify({ entryId: posted.entryId });
        await finishIdempotent(trx, { ...ref, token: start.token, status: 201, body, nowMs });
        return { status: 201, body, replayed: false };
      });
    }

    test('the same key and body replays the stored answer and moves the money once', async () => {
      const [a, b] = await openFunded(db(), vault, 2, 10_000);
      const ref = nextKey();
      const first = await idempotentTransfer(ref, hashA, a!, b!);
      const second = await idempotentTransfer(ref, hashA, a!, b!);
      assert.deepEqual(second, { ...first, replayed: true });
      assert.deepEqual(await postedOf(db(), [a!, b!]), [9_000, 11_000]);
      // The same key in another customer's scope is a different key.
      await idempotentTransfer({ scope: 'customer-2', key: ref.key }, hashA, a!, b!);
      assert.deepEqual(await postedOf(db(), [a!, b!]), [8_000, 12_000]);
    });

    test('the same key with a different body is a 409 conflict', async () => {
      const [a, b] = await openFunded(db(), vault, 2, 10_000);
      const ref = nextKey();
      await idempotentTransfer(ref, hashA, a!, b!);
      await assert.rejects(
        idempotentTransfer(ref, hashB, a!, b!),
        (e) => e instanceof AppError && e.code === 'request.idempotency_conflict' && e.status === 409,
      );
      assert.deepEqual(await postedOf(db(), [a!, b!]), [9_000, 11_000]);
    });

    test('a key whose request is still in flight is a 409, never a second execution', async () => {
      const ref = nextKey();
      const start = await beginIdempotent(db(), { ...ref, requestHash: hashA, nowMs: T0, leaseMs: LEASE });
      assert.equal(start.kind, 'new');
      const again = await beginIdempotent(db(), { ...ref, requestHash: hashA, nowMs: T0 + LEASE - 1, leaseMs: LEASE });
      assert.deepEqual(again, { kind: 'in_flight' });
      assert.throws(
        () => requireProceed(again),
        (e) => e instanceof AppError && e.code === 'request.idempotency_in_flight' && e.status === 409,
      );
    });

    test('concurrent requests with one key: exactly one runs, the others are in flight or replay', async () => {
      const [a, b] = await openFunded(db(), vault, 2, 100_000);
      const ref = nextKey();
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, () => idempotentTransfer(ref, hashA, a!, b!)),
      );
      const ran = results.filter((r) => r.status === 'fulfilled' && !r.value.replayed).length;
      assert.equal(ran, 1);
      for (const r of results) {
        if (r.status === 'rejected') assert.equal((r.reason as AppError).code, 'request.idempotency_in_flight');
      }
      assert.deepEqual(await postedOf(db(), [a!, b!]), [99_000, 101_000]);
    });

    test('a crashed holder (lease expired) is taken over, and the stale holder can no longer finish', async () => {
      const [a, b] = await openFunded(db(), vault, 2, 10_000);
      const ref = nextKey();
      const crashed = await beginIdempotent(db(), { ...ref, requestHash: hashA, nowMs: T0, leaseMs: LEASE });
      assert.equal(crashed.kind, 'new');
      const taken = await beginIdempotent(db(), { ...ref, requestHash: hashA, nowMs: T0 + LEASE, leaseMs: LEASE });
      assert.equal(taken.kind, 'new');
      assert.ok(taken.kind === 'new' && taken.takenOver);
      // The first holder wakes up and tries to commit its work: refused, and its transfer rolls back.
      await assert.rejects(
        withTransaction(db(), async (trx) => {
          await transfer(trx, a!, b!, 1_000, T0);
          await finishIdempotent(trx, {
            ...ref,
            token: crashed.kind === 'new' ? crashed.token : '',
            status: 201,
            body: '{}',
            nowMs: T0,
          });
        }),
        (e) => e instanceof AppError && e.code === 'request.idempotency_in_flight',
      );
      assert.deepEqual(await postedOf(db(), [a!, b!]), [10_000, 10_000]);
      await withTransaction(db(), (trx) =>
        finishIdempotent(trx, {
          ...ref,
          token: taken.kind === 'new' ? taken.token : '',
          status: 201,
          body: '{"ok":1}',
          nowMs: T0,
        }),
      );
      assert.deepEqual(
        await beginIdempotent(db(), { ...ref, requestHash: hashA, nowMs: T0 + LEASE + 1, leaseMs: LEASE }),
        {
          kind: 'replay',
          status: 201,
          body: '{"ok":1}',
        },
      );
    });

    test('a released key runs afresh; keys are kept 24 h, then purged', async () => {
      const ref = nextKey();
      const start = await beginIdempotent(db(), { ...ref, requestHash: hashA, nowMs: T0, leaseMs: LEASE });
      assert.ok(start.kind === 'new');
      await releaseIdempotent(db(), { ...ref, token: start.token });
      const retry = await beginIdempotent(db(), { ...ref, requestHash: hashB, nowMs: T0 + 1, leaseMs: LEASE });
      assert.ok(retry.kind === 'new' && !retry.takenOver);
      await withTransaction(db(), (trx) =>
        finishIdempotent(trx, { ...ref, token: retry.token, status: 422, body: '{"code":"x"}', nowMs: T0 + 1 }),
      );
      const justBefore = T0 + 1 + IDEMPOTENCY_RETENTION_MS - 1;
      assert.equal(
        (await beginIdempotent(db(), { ...ref, requestHash: hashB, nowMs: justBefore, leaseMs: LEASE })).kind,
        'replay',
      );
      assert.equal(
        (await beginIdempotent(db(), { ...ref, requestHash: hashA, nowMs: justBefore, leaseMs: LEASE })).kind,
        'conflict',
      );
      const purged = await purgeExpiredIdempotencyKeys(db(), T0 + 1 + IDEMPOTENCY_RETENTION_MS);
      assert.ok(purged >= 1);
      const rows = await db().selectFrom('idempotency_key').select('key').where('key', '=', ref.key).execute();
      assert.equal(rows.length, 0);
    });
  });
}

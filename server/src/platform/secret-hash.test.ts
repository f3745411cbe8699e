import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type HashParams, hashQueue, hashSecret, needsRehash, verifySecret } from './secret-hash.ts';

const params: HashParams = { argon2MemoryKib: 1024, argon2TimeCost: 1, argon2Parallelism: 1, argon2Concurrency: 2 };

describe('Argon2id secrets', () => {
  it('verifies the right secret and refuses a wrong one or a malformed hash', async () => {
    const encoded = await hashSecret(params, 'Jinku2026');
    assert.match(encoded, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    assert.equal(await verifySecret(params, encoded, 'Jinku2026'), true);
    assert.equal(await verifySecret(params, encoded, 'jinku2026'), false);
    assert.equal(await verifySecret(params, 'not a hash', 'Jinku2026'), false);
  });

  it('runs at most argon2Concurrency hashes at once; the rest wait in order and all get their answer', async () => {
    const encoded = await hashSecret(params, 'Jinku2026');
    const finished: number[] = [];
    const checks = [0, 1, 2, 3, 4].map((i) =>
      verifySecret(params, encoded, i % 2 === 0 ? 'Jinku2026' : 'Wrong2026').then((ok) => {
        finished.push(i);
        return ok;
      }),
    );
    assert.deepEqual(hashQueue(), { running: 2, waiting: 3 });
    assert.deepEqual(await Promise.all(checks), [true, false, true, false, true]);
    assert.deepEqual(hashQueue(), { running: 0, waiting: 0 });
    // The waiting ones started in the order they came (the last can only start after a first one ended).
    assert.ok(finished.indexOf(4) >= 2, `finished in order ${finished}`);
  });

  it('notices a hash made with other parameters', async () => {
    const encoded = await hashSecret(params, 'Jinku2026');
    assert.equal(needsRehash(params, encoded), false);
    assert.equal(needsRehash({ ...params, argon2MemoryKib: 19456 }, encoded), true);
  });
});

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { secretBox } from '../platform/secret-box.ts';
import { readSetting, writeSetting } from '../platform/settings-store.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { DIALECTS } from '../testing/database.ts';
import { merchantMigrations } from './migrations.ts';
import { bankPublicKey } from './service.ts';
import { latestBankKey } from './store.ts';

const LEGACY = 'merchants.bank_key';

for (const dialect of DIALECTS) {
  describe(`the bank key of the time before versions [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());
    const db = () => t.db.handle.kysely;
    const deps = () => ({ config: t.ctx.config, clock: t.clock });

    /** A key pair stored as the settings row held it before migration 0807. */
    async function storeLegacyKey() {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const privateKeySealed = secretBox(t.ctx.config.secret).seal(
        'merchants/bank-key',
        pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      );
      await writeSetting(db(), LEGACY, JSON.stringify({ publicKeyPem, privateKeySealed }), t.clock.nowMs());
      return publicKeyPem;
    }

    test('migration 0808 makes the stored key version 1 and removes the settings row', async () => {
      await db().deleteFrom('gateway_bank_key').execute();
      const publicKeyPem = await storeLegacyKey();
      await merchantMigrations['0808_bank_key_setting_moved']!.up(db());
      assert.equal(await readSetting(db(), LEGACY), undefined, 'the private key has one home');
      const first = await latestBankKey(db());
      assert.equal(first?.version, 1);
      assert.equal(first?.public_key_pem, publicKeyPem);
      assert.deepEqual(
        await bankPublicKey(db(), deps()),
        { version: 1, pem: publicKeyPem },
        'merchants keep their key',
      );
    });

    test('a version 1 already adopted stays as it is; only the row goes', async () => {
      const adopted = await latestBankKey(db());
      assert.ok(adopted);
      await storeLegacyKey();
      await merchantMigrations['0808_bank_key_setting_moved']!.up(db());
      assert.equal(await readSetting(db(), LEGACY), undefined);
      assert.deepEqual(await latestBankKey(db()), adopted);
    });
  });
}

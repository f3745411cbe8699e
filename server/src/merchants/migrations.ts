import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The merchant gateway's tables (08xx). */
export const merchantMigrations: Record<string, Migration> = {
  '0801_merchants': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('merchant')
        .addColumn('app_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('public_key_pem', 'text', (c) => c.notNull())
        .addColumn('sign_type', 'text', (c) => c.notNull().check(sql`sign_type in ('RSA2')`))
        .addColumn('settlement_account_id', 'text', (c) => c.notNull().references('account.id'))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'suspended')`))
        // Where notifications may go: a URL prefix the merchant registered (optional until notify exists).
        .addColumn('notify_url_prefix', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('gateway_order')
        .addColumn('trade_no', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('merchant.app_id'))
        .addColumn('out_trade_no', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('total_fen', 'bigint', (c) => c.notNull())
        .addColumn('notify_url', 'text')
        .addColumn('return_url', 'text')
        // SHA-256 of the order's business parameters: the same out_trade_no must come with the same ones.
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_CLOSED', 'TRADE_FINISHED')`),
        )
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('gateway_order_out_trade_no', ['app_id', 'out_trade_no'])
        .execute();
    },
  },
  /**
   * Checkout (issue 17): who pays an order, from which account, the challenge it awaits, the journal
   * entry that paid it and what was refunded of it; and the customer's e-commerce (B2C) function, on
   * unless the counter turned it off (no row: on).
   */
  '0802_checkout': {
    async up(db: Kysely<any>) {
      for (const [name, type] of [
        ['customer_id', 'text'],
        ['from_account_id', 'text'],
        ['auth_method', 'text'],
        ['auth_ref', 'text'],
        ['authorize_by_ms', 'bigint'],
        ['entry_id', 'text'],
        ['paid_at_ms', 'bigint'],
        ['closed_at_ms', 'bigint'],
      ] as const) {
        await db.schema.alterTable('gateway_order').addColumn(name, type).execute();
      }
      await db.schema
        .alterTable('gateway_order')
        .addColumn('refunded_fen', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('gateway_order_paid')
        .on('gateway_order')
        .columns(['customer_id', 'paid_at_ms'])
        .execute();
      await db.schema
        .createTable('customer_ecommerce')
        .addColumn('customer_id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('enabled', 'disabled')`))
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  /**
   * The merchant notify outbox: one row per status change of an order, written in the transaction of
   * the change and delivered by any instance's worker (leased, so a dead worker's rows are taken over).
   */
  '0803_gateway_notify': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('gateway_notify')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('trade_no', 'text', (c) => c.notNull().references('gateway_order.trade_no'))
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('notify_url', 'text', (c) => c.notNull())
        // The signed fields but notify_time and sign (added when sent), as JSON.
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('pending', 'sending', 'delivered', 'failed')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('lease_until_ms', 'bigint')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at_ms', 'bigint')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('gateway_notify_due')
        .on('gateway_notify')
        .columns(['status', 'next_attempt_at_ms'])
        .execute();
      await db.schema.createIndex('gateway_notify_trade').on('gateway_notify').columns(['trade_no']).execute();
    },
  },
  /** Refunds of paid orders: partial and repeated, each once by the merchant's out_request_no. */
  '0804_gateway_refund': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('gateway_refund')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('trade_no', 'text', (c) => c.notNull().references('gateway_order.trade_no'))
        .addColumn('out_request_no', 'text', (c) => c.notNull())
        .addColumn('refund_fen', 'bigint', (c) => c.notNull())
        .addColumn('entry_id', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('gateway_refund_request', ['trade_no', 'out_request_no'])
        .execute();
    },
  },
  /** What the demo shop's notify receiver got (outside production only; empty in production). */
  '0805_demo_shop_notify': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('demo_shop_notify')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('out_trade_no', 'text', (c) => c.notNull())
        .addColumn('trade_status', 'text', (c) => c.notNull())
        .addColumn('total_amount', 'text', (c) => c.notNull())
        .addColumn('refund_amount', 'text')
        .addColumn('verified', 'integer', (c) => c.notNull())
        .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('demo_shop_notify_order')
        .on('demo_shop_notify')
        .columns(['out_trade_no', 'received_at_ms'])
        .execute();
    },
  },
  '0806_gateway_order_expiry': {
    // The workers' expiry sweep looks for unpaid orders past their time on every poll.
    async up(db: Kysely<any>) {
      await db.schema
        .createIndex('gateway_order_expiry')
        .on('gateway_order')
        .columns(['status', 'expires_at_ms'])
        .execute();
    },
  },
  '0810_ecommerce_explicit': {
    // The e-commerce function was on for every customer without a row; from now on a missing row means
    // off (issue 17: enabled at the counter). Customers of an upgraded database keep it on, explicitly.
    async up(db: Kysely<any>) {
      await sql`
        insert into customer_ecommerce (customer_id, status, updated_at_ms)
        select c.id, 'enabled', ${sql.lit(Date.now())} from customer c
        where not exists (select 1 from customer_ecommerce e where e.customer_id = c.id)
      `.execute(db);
    },
  },
  '0807_gateway_bank_key': {
    // The bank's signing keys by version (rotation): the newest signs, an older one is still served to
    // merchants for the overlap after its successor was made. The private half is sealed under JINKU_SECRET.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('gateway_bank_key')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('public_key_pem', 'text', (c) => c.notNull())
        .addColumn('private_key_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0808_bank_key_setting_moved': {
    // The key stored before keys had versions (a settings row) becomes version 1, unless a version 1 is
    // already there (adopted from that row when first needed), and the row goes: the bank's private key
    // has one home, gateway_bank_key.
    async up(db: Kysely<any>) {
      const legacy = await db
        .selectFrom('platform_setting')
        .select('value')
        .where('key', '=', 'merchants.bank_key')
        .executeTakeFirst();
      if (!legacy) return;
      const stored = JSON.parse(legacy.value) as { publicKeyPem: string; privateKeySealed: string };
      const first = await db
        .selectFrom('gateway_bank_key')
        .select('version')
        .where('version', '=', 1)
        .executeTakeFirst();
      if (!first)
        await db
          .insertInto('gateway_bank_key')
          .values({
            version: 1,
            public_key_pem: stored.publicKeyPem,
            private_key_sealed: stored.privateKeySealed,
            created_at_ms: Date.now(),
          })
          .execute();
      await db.deleteFrom('platform_setting').where('key', '=', 'merchants.bank_key').execute();
    },
  },
};

import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const notifyMigrations: Record<string, Migration> = {
  '0003_notify': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('code', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('lease_until_ms', 'bigint')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at_ms', 'bigint')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at_ms']).execute();
      await db.schema.createIndex('outbox_recipient').on('outbox').columns(['recipient', 'created_at_ms']).execute();
    },
  },
  /**
   * The message centre (消息中心): in-app messages to a customer, written in the transaction of the event
   * they tell of. Paged newest first by (created_at_ms, id); the unread count reads the partial set.
   */
  '0010_messages': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('inbox_message')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('read_at_ms', 'bigint')
        .execute();
      await db.schema
        .createIndex('inbox_message_customer')
        .on('inbox_message')
        .columns(['customer_id', 'created_at_ms', 'id'])
        .execute();
      await db.schema
        .createIndex('inbox_message_unread')
        .on('inbox_message')
        .columns(['customer_id', 'read_at_ms'])
        .execute();
    },
  },
};

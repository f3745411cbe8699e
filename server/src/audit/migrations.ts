import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { GENESIS_HASH } from './hash.ts';
import { POSTGRES_CHAINS } from './service.ts';
import { dialectOf } from '../platform/db/database.ts';

export const auditMigrations: Record<string, Migration> = {
  '0002_audit': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('audit_chain')
        .addColumn('chain_id', 'integer', (c) => c.primaryKey())
        .addColumn('last_seq', 'bigint', (c) => c.notNull())
        .addColumn('last_hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'integer', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('subject_type', 'text')
        .addColumn('subject_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addUniqueConstraint('audit_log_chain_seq', ['chain_id', 'seq'])
        .execute();
      await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_id', 'at_ms']).execute();
      const chains = dialectOf(db) === 'sqlite' ? 1 : POSTGRES_CHAINS;
      await db
        .insertInto('audit_chain')
        .values(Array.from({ length: chains }, (_, chain_id) => ({ chain_id, last_seq: 0, last_hash: GENESIS_HASH })))
        .execute();
    },
  },
};

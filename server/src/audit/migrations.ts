import { type Kysely, sql } from 'kysely';
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
  '0004_audit_chain_head_trigger': {
    // The chain head follows every appended row in the database itself: one statement fewer per
    // audited request, and a head that cannot drift from the log.
    async up(db: Kysely<any>) {
      if (dialectOf(db) === 'sqlite') {
        await sql`
          create trigger audit_chain_advance after insert on audit_log begin
            update audit_chain set last_seq = new.seq, last_hash = new.hash where chain_id = new.chain_id;
          end`.execute(db);
        return;
      }
      await sql`
        create function audit_chain_advance() returns trigger language plpgsql as $$
        begin
          update audit_chain set last_seq = new.seq, last_hash = new.hash where chain_id = new.chain_id;
          return null;
        end $$`.execute(db);
      await sql`
        create trigger audit_chain_advance after insert on audit_log
        for each row execute function audit_chain_advance()`.execute(db);
    },
  },
};

import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Corporate e-banking's tables (10xx): enterprises and their accounts, operators, their sessions and
 * sign-in attempts, approval policies, payment instructions and their approvals.
 */
export const corporateMigrations: Record<string, Migration> = {
  '1001_corporate': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('corp_enterprise')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // The enterprise code (企业客户号) operators type at sign-in.
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('uscc', 'text', (c) => c.notNull().unique())
        .addColumn('branch_code', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'suspended')`))
        .addColumn('daily_limit_fen', 'bigint', (c) => c.notNull().check(sql`daily_limit_fen > 0`))
        // How long a submitted instruction waits for its approvals before it expires.
        .addColumn('approval_ttl_seconds', 'integer', (c) => c.notNull().check(sql`approval_ttl_seconds > 0`))
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('corp_enterprise_account')
        // An account belongs to at most one enterprise.
        .addColumn('account_id', 'text', (c) => c.primaryKey())
        .addColumn('enterprise_id', 'text', (c) => c.notNull().references('corp_enterprise.id'))
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('corp_enterprise_account_enterprise')
        .on('corp_enterprise_account')
        .columns(['enterprise_id'])
        .execute();
      await db.schema
        .createTable('corp_operator')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('enterprise_id', 'text', (c) => c.notNull().references('corp_enterprise.id'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        // The ID number only as its keyed hash and masked form: never in clear.
        .addColumn('id_number_hmac', 'text', (c) => c.notNull())
        .addColumn('id_number_masked', 'text', (c) => c.notNull())
        .addColumn('mobile', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) =>
          c.notNull().check(sql`role in ('admin', 'maker', 'checker', 'releaser', 'viewer')`),
        )
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'disabled')`))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        // 1 while the password is the initial one handed over: the first sign-in must change it.
        .addColumn('password_temporary', 'integer', (c) => c.notNull())
        .addColumn('failed_count', 'integer', (c) => c.notNull().check(sql`failed_count >= 0`))
        .addColumn('locked_until_ms', 'bigint')
        .addColumn('single_limit_fen', 'bigint', (c) => c.notNull().check(sql`single_limit_fen >= 0`))
        .addColumn('daily_limit_fen', 'bigint', (c) => c.notNull().check(sql`daily_limit_fen >= 0`))
        // JSON array of the account ids this operator may use.
        .addColumn('accounts', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('corp_operator_code', ['enterprise_id', 'code'])
        .execute();
      await db.schema
        .createTable('corp_session')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('corp_operator.id'))
        .addColumn('ip', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at_ms', 'bigint')
        .execute();
      await db.schema
        .createTable('corp_login')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('corp_operator.id'))
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('change_password', 'register_medium', 'challenge', 'done')`),
        )
        // The medium's challenge or key registration the attempt waits for.
        .addColumn('ref', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('corp_policy')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('business_type', 'text', (c) => c.notNull().check(sql`business_type in ('payment', 'payroll')`))
        .addColumn('enterprise_id', 'text', (c) => c.notNull().references('corp_enterprise.id'))
        // JSON: the amount tiers, each with its ordered levels of k-of-m eligible operators.
        .addColumn('tiers', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('corp_policy_pk', ['account_id', 'business_type'])
        .execute();
      await db.schema
        .createTable('corp_instruction')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('enterprise_id', 'text', (c) => c.notNull().references('corp_enterprise.id'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('payment', 'payroll')`))
        .addColumn('from_account_id', 'text', (c) => c.notNull())
        .addColumn('payee_name', 'text', (c) => c.notNull())
        .addColumn('payee_account', 'text', (c) => c.notNull())
        .addColumn('payee_bank', 'text', (c) => c.notNull())
        .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('maker_id', 'text', (c) => c.notNull().references('corp_operator.id'))
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('draft', 'pending', 'pending_release', 'executed', 'rejected', 'expired')`),
        )
        // Each edit makes a new version: approvals of an older version count for nothing.
        .addColumn('version', 'integer', (c) => c.notNull())
        // The level now waiting (1-based) while pending.
        .addColumn('level', 'integer', (c) => c.notNull())
        // JSON: the approval plan chosen from the policy at submission (levels, who releases).
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('entry_id', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('executed_at_ms', 'bigint')
        .execute();
      await db.schema
        .createIndex('corp_instruction_enterprise')
        .on('corp_instruction')
        .columns(['enterprise_id', 'state', 'created_at_ms'])
        .execute();
      await db.schema
        .createTable('corp_approval')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instruction_id', 'text', (c) => c.notNull().references('corp_instruction.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        // The level signed (1-based); 0 for the release.
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('corp_operator.id'))
        .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('approve', 'reject')`))
        .addColumn('amount_fen', 'bigint', (c) => c.notNull())
        // SHA-256 of the canonical form the operator's medium signed.
        .addColumn('signed_hash', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        // Nobody signs the same version of an instruction twice.
        .addUniqueConstraint('corp_approval_once', ['instruction_id', 'version', 'operator_id'])
        .execute();
      await db.schema
        .createIndex('corp_approval_operator')
        .on('corp_approval')
        .columns(['operator_id', 'created_at_ms'])
        .execute();
    },
  },
  '1002_payroll_batches': {
    // Payroll batches (代发工资): the uploaded lines that passed validation, each posted once (status and
    // entry written in the transaction that posts it), so an execution cut short resumes where it stopped.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('corp_batch')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('enterprise_id', 'text', (c) => c.notNull().references('corp_enterprise.id'))
        .addColumn('instruction_id', 'text', (c) => c.notNull().unique().references('corp_instruction.id'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('encoding', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('total_fen', 'bigint', (c) => c.notNull())
        .addColumn('lines_hash', 'text', (c) => c.notNull())
        // JSON: the validation report (bad lines, duplicates).
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('validated', 'executing', 'completed')`))
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('corp_batch_line')
        .addColumn('batch_id', 'text', (c) => c.notNull().references('corp_batch.id'))
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('account_number', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('bank_code', 'text', (c) => c.notNull())
        .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
        .addColumn('memo', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'posted', 'failed')`))
        .addColumn('entry_id', 'text')
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('corp_batch_line_pk', ['batch_id', 'line_no'])
        .execute();
    },
  },
  '1003_payroll_clearing_and_expiry': {
    // A line paid to another bank waits in clearing until the answer comes (`clearing`: pending, then
    // settled or returned, with the answer's entry and reason); the corporate job loop finds the lines
    // due, and the instructions whose approval time has lapsed, by these indexes.
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('corp_batch_line')
        .addColumn('clearing', 'text', (c) => c.check(sql`clearing in ('pending', 'settled', 'returned')`))
        .execute();
      await db.schema.alterTable('corp_batch_line').addColumn('clearing_due_at_ms', 'bigint').execute();
      await db.schema.alterTable('corp_batch_line').addColumn('clearing_entry_id', 'text').execute();
      await db.schema.alterTable('corp_batch_line').addColumn('clearing_reason', 'text').execute();
      await db.schema
        .createIndex('corp_batch_line_clearing')
        .on('corp_batch_line')
        .columns(['clearing', 'clearing_due_at_ms'])
        .execute();
      await db.schema
        .createIndex('corp_instruction_expiry')
        .on('corp_instruction')
        .columns(['state', 'expires_at_ms'])
        .execute();
    },
  },
  '1004_payment_clearing': {
    // A payment instruction to another bank waits in clearing like a payroll line to one (1003): where
    // clearing stands, its answer's entry and reason; the job loop finds the due ones by the index.
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('corp_instruction')
        .addColumn('clearing', 'text', (c) => c.check(sql`clearing in ('pending', 'settled', 'returned')`))
        .execute();
      await db.schema.alterTable('corp_instruction').addColumn('clearing_due_at_ms', 'bigint').execute();
      await db.schema.alterTable('corp_instruction').addColumn('clearing_entry_id', 'text').execute();
      await db.schema.alterTable('corp_instruction').addColumn('clearing_reason', 'text').execute();
      await db.schema
        .createIndex('corp_instruction_clearing')
        .on('corp_instruction')
        .columns(['clearing', 'clearing_due_at_ms'])
        .execute();
    },
  },
};

import { appendAudit } from '../audit/index.ts';
import { accountById } from '../customers/index.ts';
import type { Database, Tx } from '../database.ts';
import { balancesOf } from '../ledger/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { money } from '../platform/money.ts';
import type { Kysely } from 'kysely';
import { corporateErrors as errors } from './errors.ts';
import { operatorItem } from './operators.ts';
import {
  accountsOfEnterprise,
  enterpriseById,
  lockEnterprise,
  lockOperator,
  operatorsOf,
  searchEnterprises,
  updateOperator,
} from './store.ts';

/**
 * What the counter (the teller console) does with enterprises, as calls the counter's operations make:
 * look one up by its enterprise code, unified social credit code or name, read it with its accounts and
 * operators, and lift an operator's lock after too many wrong passwords (the administrator can do the
 * same online; an administrator locked out of their own enterprise needs the counter).
 */

const SEARCH_LIMIT = 20;

/** Enterprises matching the teller's query, at most 20. */
export async function findEnterprises(db: Kysely<Database>, query: string) {
  const q = query.trim();
  if (q.length === 0) return { items: [] };
  const rows = await searchEnterprises(db, q, SEARCH_LIMIT);
  return {
    items: rows.map((e) => ({
      id: e.id,
      code: e.code,
      name: e.name,
      unifiedSocialCreditCode: e.uscc,
      status: e.status,
    })),
  };
}

/** One enterprise as the teller sees it: its accounts with balances and its operators with their locks. */
export async function enterpriseForCounter(ctx: Pick<AppContext, 'db' | 'clock'>, id: string) {
  const db = ctx.db.kysely;
  const enterprise = await enterpriseById(db, id);
  if (!enterprise) throw new AppError(errors['corporate.enterprise_not_found']);
  const accountIds = await accountsOfEnterprise(db, enterprise.id);
  const balances = await balancesOf(db, accountIds);
  const accounts = [];
  for (const accountId of accountIds) {
    const account = await accountById(db, accountId);
    accounts.push({
      id: accountId,
      number: account?.account_number ?? '',
      status: account?.status ?? 'closed',
      balance: money(balances.get(accountId)?.postedFen ?? 0),
    });
  }
  const nowMs = ctx.clock.nowMs();
  const operators = await Promise.all((await operatorsOf(db, enterprise.id)).map((o) => operatorItem(db, o, nowMs)));
  return {
    id: enterprise.id,
    code: enterprise.code,
    name: enterprise.name,
    unifiedSocialCreditCode: enterprise.uscc,
    status: enterprise.status,
    dailyLimit: money(enterprise.daily_limit_fen),
    createdAt: isoTime(enterprise.created_at_ms),
    accounts,
    operators,
  };
}

/**
 * Lifts an operator's password lock at the counter (the teller's operation wraps it, with its receipt);
 * audited with the staff member as actor. Returns whether the operator was locked.
 */
export async function unlockOperatorAtCounter(
  trx: Tx,
  ctx: Pick<AppContext, 'clock'>,
  input: { enterpriseId: string; operatorId: string; staffId: string; ip: string | null },
): Promise<{ wasLocked: boolean; operatorCode: string }> {
  const enterprise = await lockEnterprise(trx, input.enterpriseId);
  if (!enterprise) throw new AppError(errors['corporate.enterprise_not_found']);
  const operator = await lockOperator(trx, input.operatorId);
  if (operator?.enterprise_id !== enterprise.id) throw new AppError(errors['corporate.operator_not_found']);
  const nowMs = ctx.clock.nowMs();
  const wasLocked = operator.locked_until_ms !== null && operator.locked_until_ms > nowMs;
  await updateOperator(trx, operator.id, { failed_count: 0, locked_until_ms: null, updated_at_ms: nowMs });
  await appendAudit(trx, {
    kind: 'corporate.operator_unlocked',
    atMs: nowMs,
    actor: { type: 'staff', id: input.staffId },
    subject: { type: 'corporate_operator', id: operator.id },
    ip: input.ip,
    details: { enterpriseId: enterprise.id, operatorCode: operator.code, wasLocked },
  });
  return { wasLocked, operatorCode: operator.code };
}

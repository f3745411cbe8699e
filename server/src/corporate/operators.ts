import { idNumberHmac, maskResidentId, parseResidentId } from '../customers/index.ts';
import { canonicalJson } from '../ledger/index.ts';
import { holderHasKey } from '../media/index.ts';
import type { Tx } from '../database.ts';
import { chinaDate } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { money, parseMoney } from '../platform/money.ts';
import { hashSecret } from '../platform/secret-hash.ts';
import {
  accountsOfOperator,
  askOperatorKey,
  checkOperatorKey,
  initialPassword,
  type Signed,
  sha256Hex,
} from './common.ts';
import { corporateErrors as errors } from './errors.ts';
import { audit, type CorpSession } from './sessions.ts';
import {
  accountsOfEnterprise,
  insertOperator,
  lockEnterprise,
  lockOperator,
  type OperatorRole,
  type OperatorRow,
  operatorByCode,
  operatorsOf,
  revokeCorpSessionsOf,
  updateOperator,
} from './store.ts';

type Ctx = Pick<AppContext, 'db' | 'config' | 'clock'>;
const CHANGE_PURPOSE = 'corporate.operators';

/** An operator as the administrator's list shows them (no ID number, no secret). */
export async function operatorItem(db: Tx | Ctx['db']['kysely'], operator: OperatorRow, nowMs: number) {
  return {
    id: operator.id,
    code: operator.code,
    name: operator.name,
    role: operator.role,
    status: operator.status,
    mobile: operator.mobile,
    accounts: accountsOfOperator(operator),
    singleLimit: money(operator.single_limit_fen),
    dailyLimit: money(operator.daily_limit_fen),
    hasMedium: await holderHasKey(db as Tx, operator.id),
    locked: operator.locked_until_ms !== null && operator.locked_until_ms > nowMs,
  };
}

/** The enterprise's operators (any signed-in operator may see who is who). */
export async function listOperators(ctx: Ctx, session: CorpSession) {
  const nowMs = ctx.clock.nowMs();
  const rows = await operatorsOf(ctx.db.kysely, session.enterprise.id);
  return { items: await Promise.all(rows.map((row) => operatorItem(ctx.db.kysely, row, nowMs))) };
}

export type NewOperatorInput = {
  code?: string | undefined;
  name: string;
  idNumber: string;
  mobile: string;
  role: Exclude<OperatorRole, 'admin'>;
  accounts: string[];
  singleLimit: { amount: string };
  dailyLimit: { amount: string };
  authorization?: Signed | undefined;
};

/** Only the administrator manages operators and policies. */
export function requireAdmin(session: CorpSession): void {
  if (session.operator.role !== 'admin') throw new AppError(errors['corporate.role_forbidden']);
}

/**
 * Creates an operator by the authorization pattern: without an answer the administrator's key is asked
 * for a challenge bound to exactly this change (202); with the right answer the operator is created
 * with an initial password shown once, and the change is audited.
 */
export async function createOperator(ctx: Ctx, session: CorpSession, input: NewOperatorInput, ip: string | null) {
  requireAdmin(session);
  const { authorization, ...change } = input;
  const binding = `corp-operator:${session.enterprise.id}:${canonicalJson({ ...change, idNumber: sha256Hex(change.idNumber) })}`;
  return withTransaction(ctx.db.kysely, async (trx) => {
    await lockEnterprise(trx, session.enterprise.id);
    const checked = await checkNewOperator(trx, ctx, session, change);
    if (!authorization) {
      const asked = await askOperatorKey(trx, ctx, session.operator, CHANGE_PURPOSE, binding);
      return {
        status: 202 as const,
        body: { status: 'authorization_required' as const, ...asked, canonicalHash: sha256Hex(binding) },
      };
    }
    const refused = await checkOperatorKey(trx, ctx, session.operator, CHANGE_PURPOSE, binding, authorization, ip);
    if (refused) return { status: 'refused' as const, error: refused };
    const nowMs = ctx.clock.nowMs();
    const password = initialPassword();
    const row: OperatorRow = {
      id: newId<'Operator'>(),
      enterprise_id: session.enterprise.id,
      code: checked.code,
      name: change.name.trim(),
      id_number_hmac: idNumberHmac(ctx.config.secret, checked.idNumber),
      id_number_masked: maskResidentId(checked.idNumber),
      mobile: change.mobile,
      role: change.role,
      status: 'active',
      password_hash: await hashSecret(ctx.config, password),
      password_temporary: 1,
      failed_count: 0,
      locked_until_ms: null,
      single_limit_fen: checked.singleFen,
      daily_limit_fen: checked.dailyFen,
      accounts: JSON.stringify(checked.accounts),
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
    };
    await insertOperator(trx, row);
    await audit(trx, session.operator, 'corporate.operator_created', nowMs, ip, {
      operatorId: row.id,
      newCode: row.code,
      newRole: row.role,
      accounts: checked.accounts.length,
      singleLimitFen: row.single_limit_fen,
      dailyLimitFen: row.daily_limit_fen,
    });
    return {
      status: 201 as const,
      body: { operator: await operatorItem(trx, row, nowMs), initialPassword: password },
    };
  }).then((outcome) => {
    if (outcome.status === 'refused') throw outcome.error;
    return outcome;
  });
}

async function checkNewOperator(
  trx: Tx,
  ctx: Ctx,
  session: CorpSession,
  change: Omit<NewOperatorInput, 'authorization'>,
) {
  const resident = parseResidentId(change.idNumber.trim().toUpperCase(), chinaDate(ctx.clock.nowMs()));
  if (!resident) throw new AppError('request.invalid', { reason: 'idNumber' });
  const own = new Set(await accountsOfEnterprise(trx, session.enterprise.id));
  const accounts = [...new Set(change.accounts)];
  if (accounts.some((id) => !own.has(id))) throw new AppError(errors['corporate.account_not_allowed']);
  const single = parseMoney(change.singleLimit.amount, { allowZero: true });
  const daily = parseMoney(change.dailyLimit.amount, { allowZero: true });
  if (!single.ok || !daily.ok || single.fen > daily.fen)
    throw new AppError('request.invalid', { reason: 'singleLimit ≤ dailyLimit' });
  const code = change.code ?? (await nextOperatorCode(trx, session.enterprise.id));
  if (await operatorByCode(trx, session.enterprise.id, code))
    throw new AppError(errors['corporate.operator_code_taken']);
  return { code, idNumber: resident.number, accounts, singleFen: single.fen as number, dailyFen: daily.fen as number };
}

/** The next free three-digit operator code (001 is the administrator). */
async function nextOperatorCode(trx: Tx, enterpriseId: string): Promise<string> {
  const codes = new Set((await operatorsOf(trx, enterpriseId)).map((o) => o.code));
  for (let n = 2; n < 1000; n++) {
    const code = String(n).padStart(3, '0');
    if (!codes.has(code)) return code;
  }
  throw new AppError(errors['corporate.operator_code_taken']);
}

export type OperatorChange = {
  role?: Exclude<OperatorRole, 'admin'> | undefined;
  accounts?: string[] | undefined;
  singleLimit?: { amount: string } | undefined;
  dailyLimit?: { amount: string } | undefined;
  status?: 'active' | 'disabled' | undefined;
  unlock?: true | undefined;
  authorization?: Signed | undefined;
};

/**
 * Changes an operator's role, accounts, limits or status by the authorization pattern (the
 * administrator's key signs exactly this change); the administrator's own row is not changed here.
 * Disabling an operator ends their sessions at once.
 */
export async function changeOperator(
  ctx: Ctx,
  session: CorpSession,
  operatorId: string,
  input: OperatorChange,
  ip: string | null,
) {
  requireAdmin(session);
  const { authorization, ...change } = input;
  const binding = `corp-operator-change:${session.enterprise.id}:${operatorId}:${canonicalJson(change)}`;
  const outcome = await withTransaction(ctx.db.kysely, async (trx) => {
    await lockEnterprise(trx, session.enterprise.id);
    const target = await lockOperator(trx, operatorId);
    if (target?.enterprise_id !== session.enterprise.id || target.role === 'admin')
      throw new AppError(errors['corporate.operator_not_found']);
    const own = new Set(await accountsOfEnterprise(trx, session.enterprise.id));
    if (change.accounts?.some((id) => !own.has(id))) throw new AppError(errors['corporate.account_not_allowed']);
    const single = change.singleLimit ? parseMoney(change.singleLimit.amount, { allowZero: true }) : null;
    const daily = change.dailyLimit ? parseMoney(change.dailyLimit.amount, { allowZero: true }) : null;
    if ((single && !single.ok) || (daily && !daily.ok)) throw new AppError('request.invalid', { reason: 'limit' });
    const singleFen = single?.ok ? (single.fen as number) : target.single_limit_fen;
    const dailyFen = daily?.ok ? (daily.fen as number) : target.daily_limit_fen;
    if (singleFen > dailyFen) throw new AppError('request.invalid', { reason: 'singleLimit ≤ dailyLimit' });
    if (!authorization) {
      const asked = await askOperatorKey(trx, ctx, session.operator, CHANGE_PURPOSE, binding);
      return {
        status: 202 as const,
        body: { status: 'authorization_required' as const, ...asked, canonicalHash: sha256Hex(binding) },
      };
    }
    const refused = await checkOperatorKey(trx, ctx, session.operator, CHANGE_PURPOSE, binding, authorization, ip);
    if (refused) return { status: 'refused' as const, error: refused };
    const nowMs = ctx.clock.nowMs();
    const next: OperatorRow = {
      ...target,
      role: change.role ?? target.role,
      accounts: change.accounts ? JSON.stringify([...new Set(change.accounts)]) : target.accounts,
      single_limit_fen: singleFen,
      daily_limit_fen: dailyFen,
      status: change.status ?? target.status,
      ...(change.unlock ? { failed_count: 0, locked_until_ms: null } : {}),
      updated_at_ms: nowMs,
    };
    const { id: _id, enterprise_id: _e, code: _c, ...columns } = next;
    await updateOperator(trx, target.id, columns);
    if (next.status === 'disabled') await revokeCorpSessionsOf(trx, target.id, nowMs);
    await audit(trx, session.operator, 'corporate.operator_changed', nowMs, ip, {
      operatorId: target.id,
      changed: Object.keys(change),
      newRole: next.role,
      singleLimitFen: next.single_limit_fen,
      dailyLimitFen: next.daily_limit_fen,
      status: next.status,
    });
    return { status: 200 as const, body: { operator: await operatorItem(trx, next, nowMs) } };
  });
  if (outcome.status === 'refused') throw outcome.error;
  return outcome;
}

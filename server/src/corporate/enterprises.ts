import { randomInt } from 'node:crypto';
import { appendAudit } from '../audit/index.ts';
import { accountById, idNumberHmac, maskResidentId, parseResidentId } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { chinaDate } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { parseMoney } from '../platform/money.ts';
import { hashSecret } from '../platform/secret-hash.ts';
import { initialPassword } from './common.ts';
import { corporateErrors as errors } from './errors.ts';
import {
  enterpriseByCode,
  enterpriseByUscc,
  enterpriseOfAccounts,
  insertEnterprise,
  insertEnterpriseAccounts,
  insertOperator,
} from './store.ts';
import { parseUscc } from './uscc.ts';

type Deps = Pick<AppContext, 'config' | 'clock'>;

/** An enterprise's default daily payment limit (the counter may set another): ¥5,000,000.00. */
export const DEFAULT_ENTERPRISE_DAILY_LIMIT_FEN = 500_000_000;
/** How long a submitted instruction waits for its approvals unless the counter set otherwise. */
export const DEFAULT_APPROVAL_TTL_HOURS = 72;
export const ADMIN_OPERATOR_CODE = '001';

export type NewEnterprise = {
  name: string;
  unifiedSocialCreditCode: string;
  accounts: string[];
  admin: { name: string; idNumber: string; mobile: string };
  dailyLimit?: { amount: string } | undefined;
  approvalTtlHours?: number | undefined;
};

export type RegisteredEnterprise = {
  id: string;
  enterpriseCode: string;
  name: string;
  unifiedSocialCreditCode: string;
  admin: { id: string; operatorCode: string; initialPassword: string };
};

/**
 * Registers an enterprise for corporate e-banking at the counter (the teller's operation wraps it): its
 * unified social credit code checked, its accounts (active, not another enterprise's) bound to it, and
 * its administrator (主管) created with operator code 001 and an initial password shown once, which the
 * first sign-in must change before the administrator registers their own U-shield or passkey.
 */
export async function registerEnterprise(
  trx: Tx,
  deps: Deps,
  input: NewEnterprise,
  by: { staffId: string; branchCode: string; ip: string | null },
): Promise<RegisteredEnterprise> {
  const uscc = parseUscc(input.unifiedSocialCreditCode);
  if (!uscc) throw new AppError(errors['corporate.uscc_invalid']);
  if (await enterpriseByUscc(trx, uscc)) throw new AppError(errors['corporate.enterprise_exists']);
  const nowMs = deps.clock.nowMs();
  const resident = parseResidentId(input.admin.idNumber.trim().toUpperCase(), chinaDate(nowMs));
  if (!resident) throw new AppError('request.invalid', { reason: 'admin.idNumber' });
  const accountIds = [...new Set(input.accounts)];
  for (const id of accountIds) {
    const account = await accountById(trx, id);
    if (account?.status !== 'active') throw new AppError(errors['corporate.account_unavailable']);
  }
  if ((await enterpriseOfAccounts(trx, accountIds)).length > 0)
    throw new AppError(errors['corporate.account_unavailable']);
  let dailyLimitFen = DEFAULT_ENTERPRISE_DAILY_LIMIT_FEN;
  if (input.dailyLimit) {
    const parsed = parseMoney(input.dailyLimit.amount);
    if (!parsed.ok) throw new AppError('request.invalid', { reason: 'dailyLimit' });
    dailyLimitFen = parsed.fen;
  }
  const id = newId<'Enterprise'>();
  const code = await freshEnterpriseCode(trx);
  await insertEnterprise(trx, {
    id,
    code,
    name: input.name.trim(),
    uscc,
    branch_code: by.branchCode,
    status: 'active',
    daily_limit_fen: dailyLimitFen,
    approval_ttl_seconds: (input.approvalTtlHours ?? DEFAULT_APPROVAL_TTL_HOURS) * 3600,
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  });
  await insertEnterpriseAccounts(trx, id, accountIds, nowMs);
  const password = initialPassword();
  const adminId = newId<'Operator'>();
  await insertOperator(trx, {
    id: adminId,
    enterprise_id: id,
    code: ADMIN_OPERATOR_CODE,
    name: input.admin.name.trim(),
    id_number_hmac: idNumberHmac(deps.config.secret, resident.number),
    id_number_masked: maskResidentId(resident.number),
    mobile: input.admin.mobile,
    role: 'admin',
    status: 'active',
    password_hash: await hashSecret(deps.config, password),
    password_temporary: 1,
    failed_count: 0,
    locked_until_ms: null,
    single_limit_fen: dailyLimitFen,
    daily_limit_fen: dailyLimitFen,
    accounts: JSON.stringify(accountIds),
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  });
  await appendAudit(trx, {
    kind: 'corporate.enterprise_registered',
    atMs: nowMs,
    actor: { type: 'staff', id: by.staffId },
    subject: { type: 'enterprise', id },
    ip: by.ip,
    details: { enterpriseCode: code, uscc, accounts: accountIds.length, adminId, branch: by.branchCode },
  });
  return {
    id,
    enterpriseCode: code,
    name: input.name.trim(),
    unifiedSocialCreditCode: uscc,
    admin: { id: adminId, operatorCode: ADMIN_OPERATOR_CODE, initialPassword: password },
  };
}

/** A new 10-digit enterprise code (企业客户号) nobody holds yet (random; bounded redraws). */
async function freshEnterpriseCode(trx: Tx): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = `8${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
    if (!(await enterpriseByCode(trx, code))) return code;
  }
  throw new Error('could not draw an unused enterprise code in 5 tries');
}

import { idNumberHmac, makeResidentId, maskResidentId } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { hashSecret } from '../platform/secret-hash.ts';
import type { PolicyTier } from './policy.ts';
import {
  insertEnterprise,
  insertEnterpriseAccounts,
  insertOperator,
  type OperatorRole,
  replacePolicies,
} from './store.ts';

/**
 * The demo enterprise (README, "Demo bank"): 金库示范科技有限公司 with an administrator, a maker, two
 * checkers and a releaser, each with the password below. No key can be seeded (its private half would
 * be public), so each operator's first sign-in registers their own U-shield or passkey.
 */
export const DEMO_ENTERPRISE = {
  code: '8000000001',
  name: '金库示范科技有限公司',
  uscc: '91110105MA01JK202P',
  password: 'Corp2026',
  operators: [
    { code: '001', name: '主管 赵敏', role: 'admin' },
    { code: '002', name: '制单 钱进', role: 'maker' },
    { code: '003', name: '复核 孙立', role: 'checker' },
    { code: '004', name: '复核 周洁', role: 'checker' },
    { code: '005', name: '授权 吴刚', role: 'releaser' },
  ] as ReadonlyArray<{ code: string; name: string; role: OperatorRole }>,
} as const;

/** Seeds the demo enterprise on the given account; returns its id. */
export async function seedDemoEnterprise(
  trx: Tx,
  deps: Pick<AppContext, 'config' | 'clock'>,
  input: { accountId: string; branchCode: string },
): Promise<string> {
  const nowMs = deps.clock.nowMs();
  const id = newId<'Enterprise'>();
  await insertEnterprise(trx, {
    id,
    code: DEMO_ENTERPRISE.code,
    name: DEMO_ENTERPRISE.name,
    uscc: DEMO_ENTERPRISE.uscc,
    branch_code: input.branchCode,
    status: 'active',
    daily_limit_fen: 500_000_000,
    approval_ttl_seconds: 72 * 3600,
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  });
  await insertEnterpriseAccounts(trx, id, [input.accountId], nowMs);
  const passwordHash = await hashSecret(deps.config, DEMO_ENTERPRISE.password);
  const ids = new Map<string, string>();
  for (const [index, operator] of DEMO_ENTERPRISE.operators.entries()) {
    const operatorId = newId<'Operator'>();
    ids.set(operator.code, operatorId);
    const idNumber = makeResidentId('110105', '19800101', String(200 + index));
    await insertOperator(trx, {
      id: operatorId,
      enterprise_id: id,
      code: operator.code,
      name: operator.name,
      id_number_hmac: idNumberHmac(deps.config.secret, idNumber),
      id_number_masked: maskResidentId(idNumber),
      mobile: `1380000002${index}`,
      role: operator.role,
      status: 'active',
      password_hash: passwordHash,
      password_temporary: 0,
      failed_count: 0,
      locked_until_ms: null,
      single_limit_fen: 100_000_000,
      daily_limit_fen: 500_000_000,
      accounts: JSON.stringify([input.accountId]),
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
    });
  }
  const checkers = [ids.get('003') as string, ids.get('004') as string];
  const tiers: PolicyTier[] = [
    { upToFen: 1_000_000, levels: [{ required: 1, operators: checkers }], release: false },
    { upToFen: 100_000_000, levels: [{ required: 2, operators: checkers }], release: true },
  ];
  await replacePolicies(
    trx,
    id,
    (['payment', 'payroll'] as const).map((businessType) => ({
      account_id: input.accountId,
      business_type: businessType,
      enterprise_id: id,
      tiers: JSON.stringify(tiers),
      updated_by: ids.get('001') as string,
      updated_at_ms: nowMs,
    })),
  );
  return id;
}

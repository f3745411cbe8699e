import type { Kysely } from 'kysely';
import { customerById } from '../customers/index.ts';
import type { Database } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { isUniqueViolation } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { hashSecret, verifySecret } from '../platform/secret-hash.ts';
import { authErrors as errors } from './errors.ts';
import { checkPasswordPolicy, checkTemporaryPassword, type PolicyResult } from './password-policy.ts';
import { credentialOf } from './store.ts';

export type Deps = Pick<AppContext, 'config' | 'clock'>;

/** How many earlier passwords a new one may not repeat. */
export const PASSWORD_HISTORY = 5;

/**
 * Sets a customer's login password. A temporary one (from the counter: 6–8 digits) must be changed at
 * the next sign-in; a customer's own must meet the policy and differ from the last five.
 */
export async function setLoginPassword(
  trx: Kysely<Database>,
  deps: Deps,
  customerId: string,
  password: string,
  options: { temporary: boolean; idNumber?: string },
): Promise<void> {
  const customer = await customerById(trx, customerId);
  if (!customer) throw new AppError('customer.not_found');
  const verdict = options.temporary
    ? checkTemporaryPassword(password)
    : checkPasswordPolicy(password, {
        mobile: customer.mobile,
        birthDate: customer.birth_date,
        idNumber: options.idNumber ?? null,
      });
  throwUnlessOk(verdict);
  const history = await trx
    .selectFrom('password_history')
    .select(['id', 'password_hash'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at_ms', 'desc')
    .limit(PASSWORD_HISTORY)
    .execute();
  if (!options.temporary) {
    for (const old of history) {
      if (await verifySecret(deps.config, old.password_hash, password)) {
        throwUnlessOk({
          ok: false,
          rule: 'reused',
          zh: `不能与最近 ${PASSWORD_HISTORY} 次使用的密码相同`,
          en: `do not reuse any of your last ${PASSWORD_HISTORY} passwords`,
        });
      }
    }
  }
  const nowMs = deps.clock.nowMs();
  const hash = await hashSecret(deps.config, password);
  const existing = await credentialOf(trx, customerId, { lock: true });
  if (existing) {
    await trx
      .updateTable('login_credential')
      .set({
        password_hash: hash,
        must_change_password: options.temporary,
        failed_count: 0,
        locked_until_ms: null,
        password_changed_at_ms: nowMs,
      })
      .where('customer_id', '=', customerId)
      .execute();
  } else {
    await trx
      .insertInto('login_credential')
      .values({
        customer_id: customerId,
        username: null,
        login_name: null,
        login_name_lower: null,
        password_hash: hash,
        must_change_password: options.temporary,
        failed_count: 0,
        locked_until_ms: null,
        password_changed_at_ms: nowMs,
        reserved_message: null,
        last_login_at_ms: null,
      })
      .execute();
  }
  // Temporary passwords are not kept in the history: the customer's next own password may be anything.
  if (!options.temporary) {
    await trx
      .insertInto('password_history')
      .values({ id: newId<'PasswordHistory'>(), customer_id: customerId, password_hash: hash, created_at_ms: nowMs })
      .execute();
    const keep = history.slice(0, PASSWORD_HISTORY - 1).map((h) => h.id);
    let prune = trx
      .deleteFrom('password_history')
      .where('customer_id', '=', customerId)
      .where('password_hash', '!=', hash);
    if (keep.length > 0) prune = prune.where('id', 'not in', keep);
    await prune.execute();
  }
}

function throwUnlessOk(verdict: PolicyResult): void {
  if (!verdict.ok)
    throw new AppError(
      errors['auth.password_policy'],
      { reason: verdict.zh, reasonEn: verdict.en },
      { rule: verdict.rule },
    );
}

/** Sets the username the bank gave (demo and counter). Usernames are stored in lower case. */
export async function setUsername(trx: Kysely<Database>, customerId: string, username: string): Promise<void> {
  await trx
    .updateTable('login_credential')
    .set({ username: username.toLowerCase() })
    .where('customer_id', '=', customerId)
    .execute();
}

const LOGIN_NAME = /^[A-Za-z][A-Za-z0-9_]{5,14}$/;

/** Refuses a login name that breaks the rules or that someone else (by username or login name) has. */
export async function checkLoginNameFree(trx: Kysely<Database>, customerId: string, loginName: string): Promise<void> {
  if (!LOGIN_NAME.test(loginName)) throw new AppError(errors['auth.login_name_invalid']);
  const lower = loginName.toLowerCase();
  const clash = await trx
    .selectFrom('login_credential')
    .select('customer_id')
    .where((eb) => eb.or([eb('username', '=', lower), eb('login_name_lower', '=', lower)]))
    .where('customer_id', '!=', customerId)
    .executeTakeFirst();
  if (clash) throw new AppError(errors['auth.login_name_taken']);
}

/**
 * Sets the personal login name (个性化登录名, seed 000): 6–15 letters, digits or underscores, starting
 * with a letter, so never all digits (a card, account or mobile number could not be told apart), and
 * unique without regard to case among login names and usernames.
 */
export async function setLoginName(trx: Kysely<Database>, customerId: string, loginName: string): Promise<void> {
  await checkLoginNameFree(trx, customerId, loginName);
  const lower = loginName.toLowerCase();
  try {
    await trx
      .updateTable('login_credential')
      .set({ login_name: loginName, login_name_lower: lower })
      .where('customer_id', '=', customerId)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError(errors['auth.login_name_taken']);
    throw error;
  }
}

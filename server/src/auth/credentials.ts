import type { Kysely } from 'kysely';
import { customerById } from '../customers/index.ts';
import type { Database, Tx } from '../database.ts';
import type { AppContext } from '../platform/context.ts';
import { isUniqueViolation } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { hashSecret, verifySecret } from '../platform/secret-hash.ts';
import { authErrors as errors } from './errors.ts';
import { checkPasswordPolicy, checkTemporaryPassword, type PolicyResult } from './password-policy.ts';
import {
  lockedCredentialOf,
  nameTakenByOther,
  passwordHistoryOf,
  rememberPassword,
  setLoginNameRow,
  setUsernameRow,
  writePassword,
} from './store.ts';

export type Deps = Pick<AppContext, 'config' | 'clock'>;

/** How many earlier passwords a new one may not repeat. */
export const PASSWORD_HISTORY = 5;

/**
 * Sets a customer's login password. A temporary one (from the counter: 6–8 digits) must be changed at
 * the next sign-in; a customer's own must meet the policy and differ from the last five.
 */
export async function setLoginPassword(
  trx: Tx,
  deps: Deps,
  customerId: string,
  password: string,
  options: { temporary: boolean; idNumber?: string },
): Promise<void> {
  const customer = await customerById(trx, customerId);
  if (!customer) throw new AppError('customer.not_found');
  throwUnlessOk(
    options.temporary
      ? checkTemporaryPassword(password)
      : checkPasswordPolicy(password, personalFacts(customer, options.idNumber)),
  );
  const history = await passwordHistoryOf(trx, customerId, PASSWORD_HISTORY);
  if (!options.temporary) await refuseReused(deps, password, history);
  const nowMs = deps.clock.nowMs();
  const hash = await hashSecret(deps.config, password);
  const existing = await lockedCredentialOf(trx, customerId);
  await writePassword(trx, customerId, {
    passwordHash: hash,
    temporary: options.temporary,
    nowMs,
    exists: existing !== undefined,
  });
  // Temporary passwords are not kept in the history: the customer's next own password may be anything.
  if (!options.temporary) {
    const keepIds = history.slice(0, PASSWORD_HISTORY - 1).map((h) => h.id);
    await rememberPassword(trx, customerId, { passwordHash: hash, nowMs, keepIds });
  }
}

/**
 * Checks a customer's own new login password as setLoginPassword will, without writing anything: a
 * step that asks for the customer's medium first does this so a refused password costs no SMS code.
 */
export async function checkOwnLoginPassword(
  db: Kysely<Database>,
  deps: Deps,
  customerId: string,
  password: string,
): Promise<void> {
  const customer = await customerById(db, customerId);
  if (!customer) throw new AppError('customer.not_found');
  throwUnlessOk(checkPasswordPolicy(password, personalFacts(customer, undefined)));
  await refuseReused(deps, password, await passwordHistoryOf(db, customerId, PASSWORD_HISTORY));
}

function personalFacts(customer: { mobile: string; birth_date: string | null }, idNumber: string | undefined) {
  return { mobile: customer.mobile, birthDate: customer.birth_date, idNumber: idNumber ?? null };
}

/** Refuses a password that matches one of the given earlier hashes. */
async function refuseReused(deps: Deps, password: string, history: ReadonlyArray<{ password_hash: string }>) {
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

function throwUnlessOk(verdict: PolicyResult): void {
  if (!verdict.ok)
    throw new AppError(
      errors['auth.password_policy'],
      { reason: verdict.zh, reasonEn: verdict.en },
      { rule: verdict.rule },
    );
}

/** Sets the username the bank gave (demo and counter). Usernames are stored in lower case. */
export async function setUsername(trx: Tx, customerId: string, username: string): Promise<void> {
  await setUsernameRow(trx, customerId, username.toLowerCase());
}

const LOGIN_NAME = /^[A-Za-z][A-Za-z0-9_]{5,14}$/;

/** Whether a login name keeps the rules (it says nothing about whether it is free). */
export function isValidLoginName(loginName: string): boolean {
  return LOGIN_NAME.test(loginName);
}

/** Refuses a login name that breaks the rules or that someone else (by username or login name) has. */
export async function checkLoginNameFree(trx: Tx, customerId: string, loginName: string): Promise<void> {
  if (!isValidLoginName(loginName)) throw new AppError(errors['auth.login_name_invalid']);
  if (await nameTakenByOther(trx, customerId, loginName.toLowerCase()))
    throw new AppError(errors['auth.login_name_taken']);
}

/**
 * Sets the personal login name (个性化登录名, seed 000): 6–15 letters, digits or underscores, starting
 * with a letter, so never all digits (a card, account or mobile number could not be told apart), and
 * unique without regard to case among login names and usernames.
 */
export async function setLoginName(trx: Tx, customerId: string, loginName: string): Promise<void> {
  await checkLoginNameFree(trx, customerId, loginName);
  try {
    await setLoginNameRow(trx, customerId, loginName);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError(errors['auth.login_name_taken']);
    throw error;
  }
}

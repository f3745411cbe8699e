import { keyedHash } from '../platform/keyed-hash.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import { openLedgerAccount } from '../ledger/index.ts';
import { assert } from '../platform/assert.ts';
import type { AppContext } from '../platform/context.ts';
import { isUniqueViolation } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { type Id, newId } from '../platform/ids.ts';
import { hashSecret, verifySecret } from '../platform/secret-hash.ts';
import { customerErrors as errors } from './errors.ts';
import { generateAccountNumber, generateCardNumber, isMobileNumber } from './numbers.ts';
import { maskResidentId, parseResidentId } from './resident-id.ts';
import type { AccountKind, AccountRow, AccountStatus, CustomerStatus } from './store.ts';
import * as store from './store.ts';

export type CustomerId = Id<'Customer'>;
export type AccountId = Id<'Account'>;
export type Deps = Pick<AppContext, 'config' | 'clock'>;

/** Wrong card PINs allowed in a day before the PIN is blocked until the next day (the bank's rule). */
export const CARD_PIN_MAX_FAILURES = 3;
const CHINA_UTC_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/**
 * The keyed hash under which an ID number is stored and matched. A keyed hash, not a plain one: the
 * space of ID numbers is small enough to enumerate, so a stolen table must not reveal them.
 */
export function idNumberHmac(secret: Buffer, idNumber: string): string {
  return keyedHash(secret, 'jinku/id-number', idNumber.trim().toUpperCase());
}

export type NewCustomer = {
  name: string;
  idNumber: string;
  mobile: string;
  branchCode: string;
  status?: CustomerStatus;
};

/** Registers a customer after checking the ID number's check digit and that ID and mobile are unused. */
export async function createCustomer(trx: Kysely<Database>, deps: Deps, input: NewCustomer): Promise<CustomerId> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 50) throw new AppError(errors['customer.name_invalid']);
  const today = new Date(deps.clock.nowMs() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
  const resident = parseResidentId(input.idNumber, today);
  if (!resident) throw new AppError(errors['customer.id_number_invalid']);
  if (!isMobileNumber(input.mobile)) throw new AppError(errors['customer.mobile_invalid']);
  const hmac = idNumberHmac(deps.config.secret, resident.number);
  if (await store.customerIdBy(trx, 'id_number_hmac', hmac)) throw new AppError(errors['customer.id_number_taken']);
  if (await store.customerIdBy(trx, 'mobile', input.mobile)) throw new AppError(errors['customer.mobile_taken']);
  const id = newId<'Customer'>();
  const nowMs = deps.clock.nowMs();
  try {
    await trx
      .insertInto('customer')
      .values({
        id,
        name,
        id_number_hmac: hmac,
        id_number_masked: maskResidentId(resident.number),
        birth_date: resident.birthDate,
        sex: resident.sex,
        region_code: resident.regionCode,
        mobile: input.mobile,
        status: input.status ?? 'active',
        branch_code: input.branchCode,
        created_at_ms: nowMs,
        updated_at_ms: nowMs,
      })
      .execute();
  } catch (error) {
    // A concurrent registration of the same person or mobile won the race.
    if (isUniqueViolation(error)) throw new AppError(errors['customer.id_number_taken']);
    throw error;
  }
  return id;
}

export type NewAccount = {
  customerId: CustomerId;
  kind: AccountKind;
  branchCode: string;
  /** Issue a debit card with the account (a 19-digit card number). */
  withCard: boolean;
  /** The card PIN chosen at the counter (6 digits). */
  pin?: string;
  status?: AccountStatus;
};

/** Opens an account (and its card) for a customer, with fresh random numbers. */
export async function openAccount(trx: Kysely<Database>, deps: Deps, input: NewAccount): Promise<AccountRow> {
  if (input.pin !== undefined && !/^\d{6}$/.test(input.pin)) throw new AppError(errors['account.pin_format']);
  const customer = await store.customerById(trx, input.customerId);
  if (!customer) throw new AppError(errors['customer.not_found']);
  const pinHash = input.pin === undefined ? null : await hashSecret(deps.config, input.pin);
  // Random numbers collide rarely; a unique index catches it and we draw again (bounded).
  for (let attempt = 0; attempt < 5; attempt++) {
    const row: AccountRow = {
      id: newId<'Account'>(),
      customer_id: customer.id,
      account_number: generateAccountNumber(input.branchCode),
      card_number: input.withCard ? generateCardNumber(deps.config.bankCardPrefix) : null,
      kind: input.kind,
      currency: 'CNY',
      status: input.status ?? 'active',
      branch_code: input.branchCode,
      pin_hash: pinHash,
      pin_failures: 0,
      pin_blocked_until_ms: null,
      opened_at_ms: deps.clock.nowMs(),
      closed_at_ms: null,
    };
    const taken =
      (await store.accountBy(trx, 'account_number', row.account_number)) ??
      (row.card_number ? await store.accountBy(trx, 'card_number', row.card_number) : undefined);
    if (taken) continue;
    await trx.insertInto('account').values(row).execute();
    // Every account has its ledger account under the same id: balances live in the ledger.
    await openLedgerAccount(trx, {
      id: row.id,
      kind: 'customer',
      name: customer.name,
      allowNegative: false,
      nowMs: row.opened_at_ms,
    });
    return row;
  }
  assert(false, 'could not draw an unused account number in 5 tries');
}

export type PinCheck = { ok: true } | { ok: false; reason: 'wrong' | 'blocked'; failuresLeft: number };

/**
 * Checks a card PIN: 3 wrong PINs in a day block it until midnight, China time. Run it in a
 * transaction of its own and commit even when the PIN is wrong, so the failure counts.
 */
export async function checkCardPin(
  trx: Kysely<Database>,
  deps: Deps,
  accountId: string,
  pin: string,
): Promise<PinCheck> {
  const account = await store.accountById(trx, accountId);
  if (!account?.pin_hash) return { ok: false, reason: 'wrong', failuresLeft: 0 };
  const nowMs = deps.clock.nowMs();
  const blocked = account.pin_blocked_until_ms !== null && account.pin_blocked_until_ms > nowMs;
  if (blocked) return { ok: false, reason: 'blocked', failuresLeft: 0 };
  const failuresBefore = account.pin_blocked_until_ms !== null ? 0 : account.pin_failures;
  if (await verifySecret(deps.config, account.pin_hash, pin)) {
    await trx
      .updateTable('account')
      .set({ pin_failures: 0, pin_blocked_until_ms: null })
      .where('id', '=', accountId)
      .execute();
    return { ok: true };
  }
  const failures = failuresBefore + 1;
  const blockNow = failures >= CARD_PIN_MAX_FAILURES;
  await trx
    .updateTable('account')
    .set({ pin_failures: blockNow ? 0 : failures, pin_blocked_until_ms: blockNow ? nextChinaMidnightMs(nowMs) : null })
    .where('id', '=', accountId)
    .execute();
  return { ok: false, reason: blockNow ? 'blocked' : 'wrong', failuresLeft: CARD_PIN_MAX_FAILURES - failures };
}

/** The next 00:00 in China (UTC+8, no daylight saving), as epoch ms. */
export function nextChinaMidnightMs(nowMs: number): number {
  return (Math.floor((nowMs + CHINA_UTC_OFFSET_MS) / DAY_MS) + 1) * DAY_MS - CHINA_UTC_OFFSET_MS;
}

/** Changes a customer's status (counter operations and first-login activation). */
export async function setCustomerStatus(trx: Kysely<Database>, deps: Deps, id: string, status: CustomerStatus) {
  await trx.updateTable('customer').set({ status, updated_at_ms: deps.clock.nowMs() }).where('id', '=', id).execute();
}

/** Changes an account's status (freeze, unfreeze, close, investigation). */
export async function setAccountStatus(trx: Kysely<Database>, deps: Deps, id: string, status: AccountStatus) {
  await trx
    .updateTable('account')
    .set({ status, closed_at_ms: status === 'closed' ? deps.clock.nowMs() : null })
    .where('id', '=', id)
    .execute();
}

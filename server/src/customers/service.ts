import type { Tx } from '../database.ts';
import { openLedgerAccount } from '../ledger/index.ts';
import { assert } from '../platform/assert.ts';
import { chinaDate, nextChinaMidnightMs } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import { isUniqueViolation } from '../platform/db/transaction.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { keyedHash } from '../platform/keyed-hash.ts';
import { hashSecret, verifySecret } from '../platform/secret-hash.ts';
import { customerErrors as errors } from './errors.ts';
import { generateAccountNumber, generateCardNumber, isMobileNumber } from './numbers.ts';
import { maskResidentId, parseResidentId } from './resident-id.ts';
import type { AccountId, AccountKind, AccountRow, AccountStatus, CustomerId, CustomerStatus } from './store.ts';
import * as store from './store.ts';

export type { AccountId, CustomerId } from './store.ts';
export type Deps = Pick<AppContext, 'config' | 'clock'>;

/** Wrong card PINs allowed in a day before the PIN is blocked until the next day (the bank's rule). */
export const CARD_PIN_MAX_FAILURES = 3;

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
export async function createCustomer(trx: Tx, deps: Deps, input: NewCustomer): Promise<CustomerId> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 50) throw new AppError(errors['customer.name_invalid']);
  // A birth date in the future is refused against the bank's calendar date, not UTC's.
  const resident = parseResidentId(input.idNumber, chinaDate(deps.clock.nowMs()));
  if (!resident) throw new AppError(errors['customer.id_number_invalid']);
  if (!isMobileNumber(input.mobile)) throw new AppError(errors['customer.mobile_invalid']);
  const hmac = idNumberHmac(deps.config.secret, resident.number);
  if (await store.customerIdBy(trx, 'id_number_hmac', hmac)) throw new AppError(errors['customer.id_number_taken']);
  if (await store.customerIdBy(trx, 'mobile', input.mobile)) throw new AppError(errors['customer.mobile_taken']);
  const id = newId<'Customer'>();
  const nowMs = deps.clock.nowMs();
  try {
    await store.insertCustomer(trx, {
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
    });
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
export async function openAccount(trx: Tx, deps: Deps, input: NewAccount): Promise<AccountRow> {
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
    await store.insertAccount(trx, row);
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
export async function checkCardPin(trx: Tx, deps: Deps, accountId: AccountId, pin: string): Promise<PinCheck> {
  const account = await store.accountById(trx, accountId);
  if (!account?.pin_hash) return { ok: false, reason: 'wrong', failuresLeft: 0 };
  const nowMs = deps.clock.nowMs();
  const blocked = account.pin_blocked_until_ms !== null && account.pin_blocked_until_ms > nowMs;
  if (blocked) return { ok: false, reason: 'blocked', failuresLeft: 0 };
  const failuresBefore = account.pin_blocked_until_ms !== null ? 0 : account.pin_failures;
  if (await verifySecret(deps.config, account.pin_hash, pin)) {
    await store.setPinFailures(trx, account.id, 0, null);
    return { ok: true };
  }
  const failures = failuresBefore + 1;
  const blockNow = failures >= CARD_PIN_MAX_FAILURES;
  await store.setPinFailures(trx, account.id, blockNow ? 0 : failures, blockNow ? nextChinaMidnightMs(nowMs) : null);
  return { ok: false, reason: blockNow ? 'blocked' : 'wrong', failuresLeft: CARD_PIN_MAX_FAILURES - failures };
}

/** Changes a customer's status (counter operations and first-login activation). */
export async function setCustomerStatus(trx: Tx, deps: Deps, id: CustomerId, status: CustomerStatus) {
  await store.updateCustomerStatus(trx, id, status, deps.clock.nowMs());
}

/**
 * Changes the customer's registered mobile (a counter operation, approved by a supervisor): a valid
 * number no other customer has; the unique index settles a race.
 */
export async function changeMobile(trx: Tx, deps: Deps, id: CustomerId, mobile: string): Promise<void> {
  if (!isMobileNumber(mobile)) throw new AppError(errors['customer.mobile_invalid']);
  const holder = await store.customerIdBy(trx, 'mobile', mobile);
  if (holder && holder !== id) throw new AppError(errors['customer.mobile_taken']);
  try {
    await store.updateCustomerMobile(trx, id, mobile, deps.clock.nowMs());
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError(errors['customer.mobile_taken']);
    throw error;
  }
}

/** Changes an account's status (freeze, unfreeze, close, investigation); closing records when. */
export async function setAccountStatus(trx: Tx, deps: Deps, id: AccountId, status: AccountStatus) {
  await store.updateAccountStatus(trx, id, status, status === 'closed' ? deps.clock.nowMs() : null);
}

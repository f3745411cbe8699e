import type { Kysely, Selectable } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { preparedQuery } from '../platform/db/prepared.ts';
import type { Id } from '../platform/ids.ts';

export type CustomerId = Id<'Customer'>;
export type AccountId = Id<'Account'>;

export type CustomerStatus = 'active' | 'not_activated' | 'suspended' | 'closed' | 'under_investigation';
export type AccountStatus = 'active' | 'not_activated' | 'frozen' | 'closed' | 'under_investigation';
export type AccountKind = 'debit_card' | 'savings';

export type CustomerTables = {
  customer: {
    id: string;
    name: string;
    id_number_hmac: string;
    id_number_masked: string;
    birth_date: string;
    sex: 'male' | 'female';
    region_code: string;
    mobile: string;
    status: CustomerStatus;
    branch_code: string;
    created_at_ms: number;
    updated_at_ms: number;
  };
  account: {
    id: string;
    customer_id: string;
    account_number: string;
    card_number: string | null;
    kind: AccountKind;
    currency: 'CNY';
    status: AccountStatus;
    branch_code: string;
    pin_hash: string | null;
    pin_failures: number;
    pin_blocked_until_ms: number | null;
    opened_at_ms: number;
    closed_at_ms: number | null;
  };
};

// Rows as read: an id read from its own table is an id of that kind, so the store brands it once here.
export type CustomerRow = Omit<Selectable<CustomerTables['customer']>, 'id'> & { id: CustomerId };
export type AccountRow = Omit<Selectable<CustomerTables['account']>, 'id' | 'customer_id'> & {
  id: AccountId;
  customer_id: CustomerId;
};

// Prepared (compiled once): every sign-in reads a customer by id and by one of these identifiers.
const customerByIdQuery = preparedQuery((db: Kysely<Database>, args: { id: string }) =>
  db.selectFrom('customer').selectAll().where('id', '=', args.id),
);
const customerIdByQuery = {
  mobile: preparedQuery((db: Kysely<Database>, args: { value: string }) =>
    db.selectFrom('customer').select('id').where('mobile', '=', args.value),
  ),
  id_number_hmac: preparedQuery((db: Kysely<Database>, args: { value: string }) =>
    db.selectFrom('customer').select('id').where('id_number_hmac', '=', args.value),
  ),
};

export function customerById(db: Kysely<Database>, id: string): Promise<CustomerRow | undefined> {
  return customerByIdQuery.first(db, { id }) as Promise<CustomerRow | undefined>;
}

export async function customerIdBy(
  db: Kysely<Database>,
  column: 'mobile' | 'id_number_hmac',
  value: string,
): Promise<CustomerId | null> {
  return ((await customerIdByQuery[column].first(db, { value }))?.id ?? null) as CustomerId | null;
}

export function accountById(db: Kysely<Database>, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
    AccountRow | undefined
  >;
}

const accountByQuery = {
  card_number: preparedQuery((db: Kysely<Database>, args: { value: string }) =>
    db.selectFrom('account').selectAll().where('card_number', '=', args.value),
  ),
  account_number: preparedQuery((db: Kysely<Database>, args: { value: string }) =>
    db.selectFrom('account').selectAll().where('account_number', '=', args.value),
  ),
};

export function accountBy(
  db: Kysely<Database>,
  column: 'card_number' | 'account_number',
  value: string,
): Promise<AccountRow | undefined> {
  return accountByQuery[column].first(db, { value }) as Promise<AccountRow | undefined>;
}

export type AccountWithHolder = AccountRow & { holder_name: string };

/**
 * The accounts with these ids, card numbers or account numbers, each with its holder's name: the
 * parties of a batch of payments, read in one statement. Bounded by the caller's lists.
 */
export function accountsWithHolders(
  db: Kysely<Database>,
  find: { ids: readonly string[]; numbers: readonly string[] },
): Promise<AccountWithHolder[]> {
  const numbers = find.numbers.length > 0 ? find.numbers : [''];
  return db
    .selectFrom('account')
    .innerJoin('customer', 'customer.id', 'account.customer_id')
    .selectAll('account')
    .select('customer.name as holder_name')
    .where((eb) =>
      eb.or([
        eb('account.id', 'in', find.ids.length > 0 ? find.ids : ['']),
        eb('account.card_number', 'in', numbers),
        eb('account.account_number', 'in', numbers),
      ]),
    )
    .execute() as Promise<AccountWithHolder[]>;
}

/** Most accounts one customer may hold (a limit on everything): the overview lists them all. */
export const MAX_ACCOUNTS_PER_CUSTOMER = 100;

export function accountsOf(db: Kysely<Database>, customerId: string): Promise<AccountRow[]> {
  return db
    .selectFrom('account')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('opened_at_ms')
    .orderBy('id')
    .limit(MAX_ACCOUNTS_PER_CUSTOMER)
    .execute() as Promise<AccountRow[]>;
}

/** Locks a customer's row until the transaction ends (serialises their payments' limit checks). */
export async function lockCustomer(db: Kysely<Database>, id: string): Promise<void> {
  await db.selectFrom('customer').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Writes a new customer; the unique indexes on ID number and mobile refuse a duplicate. */
export async function insertCustomer(trx: Tx, row: CustomerRow): Promise<void> {
  await trx.insertInto('customer').values(row).execute();
}

/** Writes a new account; the unique indexes on its numbers refuse a duplicate. */
export async function insertAccount(trx: Tx, row: AccountRow): Promise<void> {
  await trx.insertInto('account').values(row).execute();
}

/** Records the outcome of a card PIN check: the failures so far today, and the block if one began. */
export async function setPinFailures(
  trx: Tx,
  id: AccountId,
  failures: number,
  blockedUntilMs: number | null,
): Promise<void> {
  await trx
    .updateTable('account')
    .set({ pin_failures: failures, pin_blocked_until_ms: blockedUntilMs })
    .where('id', '=', id)
    .execute();
}

export async function updateCustomerStatus(trx: Tx, id: CustomerId, status: CustomerStatus, nowMs: number) {
  await trx.updateTable('customer').set({ status, updated_at_ms: nowMs }).where('id', '=', id).execute();
}

export async function updateCustomerMobile(trx: Tx, id: CustomerId, mobile: string, nowMs: number) {
  await trx.updateTable('customer').set({ mobile, updated_at_ms: nowMs }).where('id', '=', id).execute();
}

export async function updateAccountStatus(trx: Tx, id: AccountId, status: AccountStatus, closedAtMs: number | null) {
  await trx.updateTable('account').set({ status, closed_at_ms: closedAtMs }).where('id', '=', id).execute();
}

import {
  accountById,
  type AccountRow,
  type CustomerId,
  type CustomerRow,
  createCustomer,
  customerById,
  customerIdBy,
  idNumberHmac,
  maskNumber,
  openAccount,
  parseResidentId,
} from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { assert } from '../platform/assert.ts';
import { chinaDate } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { counterErrors as errors, statusParams } from './errors.ts';
import { perform } from './operations.ts';
import type { StaffRow } from './store.ts';

/** Registering a customer and opening an account with a card: each one call into customers/. */

/** The customer an operation is for, or the counter's 404. */
export async function customerFor(trx: Tx, customerId: string): Promise<CustomerRow> {
  const customer = await customerById(trx, customerId);
  if (!customer) throw new AppError(errors['counter.customer_not_found']);
  return customer;
}

/** The account an operation is for, or the counter's 404. */
export async function accountFor(trx: Tx, accountId: string): Promise<AccountRow> {
  const account = await accountById(trx, accountId);
  if (!account) throw new AppError(errors['counter.account_not_found']);
  return account;
}

export type NewCustomerInput = { name: string; idNumber: string; mobile: string };

/**
 * Registers a customer at the teller's branch. An ID number already registered is refused with
 * `counter.customer_exists` before anything else, so the teller looks the customer up instead.
 */
export async function registerCustomer(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  input: NewCustomerInput,
  ip: string | null,
) {
  const resident = parseResidentId(input.idNumber.trim().toUpperCase(), chinaDate(ctx.clock.nowMs()));
  if (resident && (await customerIdBy(trx, 'id_number_hmac', idNumberHmac(ctx.config.secret, resident.number))))
    throw new AppError(errors['counter.customer_exists']);
  let customerId: CustomerId;
  try {
    customerId = await createCustomer(trx, ctx, {
      name: input.name,
      idNumber: input.idNumber.trim().toUpperCase(),
      mobile: input.mobile,
      branchCode: staff.branch_code,
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'customer.id_number_taken')
      throw new AppError(errors['counter.customer_exists']);
    throw error;
  }
  const customer = await customerFor(trx, customerId);
  const done = await perform(
    trx,
    ctx,
    staff,
    {
      kind: 'customer.register',
      customerId,
      params: { name: customer.name, idNumberMasked: customer.id_number_masked, mobile: customer.mobile },
    },
    { ip, needsApproval: false, execute: async () => ({ result: { customerId } }) },
  );
  assert(done.status === 'completed', 'registering a customer needs no approval');
  return {
    id: customer.id,
    name: customer.name,
    idNumberMasked: customer.id_number_masked,
    mobile: customer.mobile,
    status: customer.status,
    branch: customer.branch_code,
    operationId: done.operationId,
  };
}

/**
 * Opens a debit-card account for the customer at the teller's branch; the customer keys the card PIN
 * on the PIN pad (it reaches customers/ to be hashed and is stored nowhere here). The answer carries
 * the full numbers: the teller hands over the card.
 */
export async function openCardAccount(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  customerId: string,
  cardPin: string,
  ip: string | null,
) {
  const customer = await customerFor(trx, customerId);
  if (customer.status === 'closed') throw new AppError(errors['counter.customer_state'], statusParams(customer.status));
  let opened: AccountRow | undefined;
  const done = await perform(
    trx,
    ctx,
    staff,
    { kind: 'account.open', customerId, params: { kind: 'debit_card' } },
    {
      ip,
      needsApproval: false,
      execute: async (inner) => {
        opened = await openAccount(inner, ctx, {
          customerId: customer.id,
          kind: 'debit_card',
          branchCode: staff.branch_code,
          withCard: true,
          pin: cardPin,
        });
        // The stored result shows the card masked: the full number lives with the account only.
        return {
          result: {
            accountId: opened.id,
            number: opened.account_number,
            cardMasked: maskNumber(opened.card_number ?? ''),
          },
        };
      },
    },
  );
  assert(done.status === 'completed' && opened?.card_number, 'opening an account needs no approval');
  return {
    id: opened.id,
    number: opened.account_number,
    cardNumber: opened.card_number,
    operationId: done.operationId,
  };
}

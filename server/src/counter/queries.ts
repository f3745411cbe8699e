import { loginStatusOf } from '../auth/index.ts';
import { recentEventsAbout } from '../audit/index.ts';
import {
  accountBy,
  accountsOf,
  type CustomerRow,
  customerById,
  customerIdBy,
  idNumberHmac,
  isMobileNumber,
  normaliseCardNumber,
} from '../customers/index.ts';
import { balancesOf } from '../ledger/index.ts';
import { mediaList } from '../media/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { money } from '../platform/money.ts';
import { counterErrors as errors } from './errors.ts';
import type { CustomerDetail, CustomerSummary } from './schema.ts';
import { ecommerceEnabled } from '../merchants/index.ts';

/** How many audit events the customer page shows. */
export const RECENT_EVENTS = 20;

export function customerSummary(customer: CustomerRow): CustomerSummary {
  return {
    id: customer.id,
    name: customer.name,
    idNumberMasked: customer.id_number_masked,
    mobile: customer.mobile,
    status: customer.status,
    branch: customer.branch_code,
  };
}

/**
 * Finds a customer by what the customer shows at the desk: a resident ID number (matched by its keyed
 * hash: the bank never stores it), a card number, an account number or the registered mobile.
 */
export async function searchCustomers(ctx: AppContext, q: string): Promise<{ items: CustomerSummary[] }> {
  const db = ctx.db.kysely;
  const text = normaliseCardNumber(q.trim()).toUpperCase();
  let customerId: string | null = null;
  if (/^\d{17}[\dX]$/.test(text))
    customerId = await customerIdBy(db, 'id_number_hmac', idNumberHmac(ctx.config.secret, text));
  else if (isMobileNumber(text)) customerId = await customerIdBy(db, 'mobile', text);
  else if (/^\d{12,19}$/.test(text)) {
    const account = (await accountBy(db, 'card_number', text)) ?? (await accountBy(db, 'account_number', text));
    customerId = account?.customer_id ?? null;
  } else throw new AppError(errors['counter.search_query']);
  const customer = customerId ? await customerById(db, customerId) : undefined;
  return { items: customer ? [customerSummary(customer)] : [] };
}

/** The customer page: identity, accounts in full with balances, e-banking, media and recent events. */
export async function customerDetail(ctx: AppContext, customerId: string): Promise<CustomerDetail> {
  const db = ctx.db.kysely;
  const customer = await customerById(db, customerId);
  if (!customer) throw new AppError(errors['counter.customer_not_found']);
  const accounts = await accountsOf(db, customer.id);
  const balances = await balancesOf(
    db,
    accounts.map((account) => account.id),
  );
  const login = await loginStatusOf(db, customer.id);
  const nowMs = ctx.clock.nowMs();
  const locked = login.lockedUntilMs !== null && login.lockedUntilMs > nowMs;
  const events = await recentEventsAbout(db, customer.id, RECENT_EVENTS);
  return {
    ...customerSummary(customer),
    birthDate: customer.birth_date,
    sex: customer.sex,
    createdAt: isoTime(customer.created_at_ms),
    ebanking: {
      registered: login.registered,
      status: customer.status,
      mustChangePassword: login.mustChangePassword,
      locked,
      lockedUntil: locked && login.lockedUntilMs !== null ? isoTime(login.lockedUntilMs) : null,
      failedCount: login.failedCount,
      lastLoginAt: login.lastLoginAtMs === null ? null : isoTime(login.lastLoginAtMs),
    },
    ecommerce: await ecommerceEnabled(db, customer.id),
    accounts: accounts.map((account) => {
      const balance = balances.get(account.id) ?? { postedFen: 0, availableFen: 0 };
      return {
        id: account.id,
        number: account.account_number,
        cardNumber: account.card_number,
        kind: account.kind,
        status: account.status,
        branch: account.branch_code,
        balance: money(balance.postedFen),
        available: money(balance.availableFen),
        openedAt: isoTime(account.opened_at_ms),
      };
    }),
    media: await mediaList(db, customer.id),
    events: events.map((event) => ({
      id: event.id,
      kind: event.kind,
      at: isoTime(event.at_ms),
      actorType: event.actor_type,
      actorId: event.actor_id,
      details: JSON.parse(event.details) as Record<string, unknown>,
    })),
  };
}

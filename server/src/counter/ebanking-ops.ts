import { randomInt } from 'node:crypto';
import { endSessionsOf, liftLoginLock, loginStatusOf, setLoginPassword } from '../auth/index.ts';
import {
  changeMobile,
  type CustomerId,
  type CustomerStatus,
  customerIdBy,
  isMobileNumber,
  maskMobile,
  setCustomerStatus,
} from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { mediaList, registerSmsMedium } from '../media/index.ts';
import { setEcommerce } from '../merchants/index.ts';
import { enqueueMessage, smsText } from '../notify/index.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { customerFor } from './customer-ops.ts';
import { counterErrors as errors, statusParams } from './errors.ts';
import { type Executor, type Performed, paramsOf, perform } from './operations.ts';
import { effectiveOperations, type OperationRow, type StaffRow } from './store.ts';

/**
 * E-banking at the counter (柜面注册, 柜面重置, unlock, suspend and resume, investigation, the
 * registered mobile): each one call into auth/, customers/ or media/. A reset, an unlock or a mobile
 * change for a customer under investigation, and every mobile change, wait for a supervisor.
 */

type Ip = string | null;

/** Registers online banking with a 6–8 digit initial password: `not_activated` until the first sign-in changes it. */
export async function registerEbanking(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  customerId: string,
  initialPassword: string,
  ip: Ip,
) {
  if (!/^\d{6,8}$/.test(initialPassword)) throw new AppError(errors['counter.initial_password_format']);
  const customer = await customerFor(trx, customerId);
  if (!['active', 'not_activated'].includes(customer.status))
    throw new AppError(errors['counter.customer_state'], statusParams(customer.status));
  if ((await loginStatusOf(trx, customer.id)).registered) throw new AppError(errors['counter.ebanking_exists']);
  return perform(
    trx,
    ctx,
    staff,
    { kind: 'ebanking.register', customerId: customer.id, params: {} },
    {
      ip,
      needsApproval: false,
      execute: async (inner) => {
        await setLoginPassword(inner, ctx, customer.id, initialPassword, { temporary: true });
        await setCustomerStatus(inner, ctx, customer.id, 'not_activated');
        // The teller has checked the customer's ID and mobile in person: SMS verification comes with it.
        const media = await mediaList(inner, customer.id);
        const hasSms = media.items.some((m) => m.kind === 'sms' && m.status === 'active');
        if (!hasSms) await registerSmsMedium(inner, customer.id, ctx.clock.nowMs());
        return { result: { status: 'not_activated', smsRegistered: !hasSms } };
      },
    },
  );
}

/** Refuses an e-banking operation for a customer without online banking. */
async function requireEbanking(trx: Tx, customerId: string) {
  if (!(await loginStatusOf(trx, customerId)).registered) throw new AppError(errors['counter.ebanking_missing']);
}

/**
 * Resets a forgotten login password (柜面重置): a random 8-digit temporary password, effective at once,
 * lifting the lock, ending the sessions and forcing a change at the next sign-in; the customer is told
 * by SMS (the password itself is only handed over at the desk, and never stored or logged).
 */
export async function resetPassword(trx: Tx, ctx: AppContext, staff: StaffRow, customerId: string, ip: Ip) {
  const customer = await customerFor(trx, customerId);
  await requireEbanking(trx, customer.id);
  if (customer.status === 'closed') throw new AppError(errors['counter.customer_state'], statusParams(customer.status));
  return perform(
    trx,
    ctx,
    staff,
    { kind: 'ebanking.password_reset', customerId: customer.id, params: {} },
    { ip, needsApproval: customer.status === 'under_investigation', execute: executeReset },
  );
}

const executeReset: Executor = async (trx, ctx, op) => {
  const customerId = op.customer_id as CustomerId;
  const customer = await customerFor(trx, customerId);
  await requireEbanking(trx, customerId);
  const temporaryPassword = String(randomInt(10_000_000, 100_000_000));
  await setLoginPassword(trx, ctx, customerId, temporaryPassword, { temporary: true });
  await endSessionsOf(trx, ctx, customerId);
  const nowMs = ctx.clock.nowMs();
  const text = smsText('counter.password_reset', { at: chinaDateTime(nowMs), branch: op.branch_code });
  await enqueueMessage(trx, { channel: 'sms', to: customer.mobile, purpose: 'counter.password_reset', text }, nowMs);
  return { result: { mustChangePassword: true }, reply: { temporaryPassword } };
};

/** Lifts the login lock (after 5 wrong passwords) at once, or with approval under investigation. */
export async function unlockEbanking(trx: Tx, ctx: AppContext, staff: StaffRow, customerId: string, ip: Ip) {
  const customer = await customerFor(trx, customerId);
  await requireEbanking(trx, customer.id);
  return perform(
    trx,
    ctx,
    staff,
    { kind: 'ebanking.unlock', customerId: customer.id, params: {} },
    { ip, needsApproval: customer.status === 'under_investigation', execute: executeUnlock },
  );
}

const executeUnlock: Executor = async (trx, ctx, op) => {
  const customerId = op.customer_id as CustomerId;
  const before = await loginStatusOf(trx, customerId);
  await liftLoginLock(trx, ctx, customerId);
  return { result: { wasLocked: before.lockedUntilMs !== null && before.lockedUntilMs > ctx.clock.nowMs() } };
};

/**
 * Moves the customer's status (suspend, resume, investigation on and off) and records the status it
 * replaced, so the way back restores it (a customer suspended before the investigation stays suspended).
 */
async function moveStatus(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  customerId: string,
  move: {
    kind: string;
    params: Record<string, unknown>;
    from: readonly CustomerStatus[];
    to: CustomerStatus | 'previous';
    undoes?: { kind: string; on?: boolean };
  },
  ip: Ip,
): Promise<Performed> {
  const customer = await customerFor(trx, customerId);
  if (!move.from.includes(customer.status))
    throw new AppError(errors['counter.customer_state'], statusParams(customer.status));
  let target: CustomerStatus = move.to === 'previous' ? 'active' : move.to;
  if (move.undoes) {
    const { kind, on } = move.undoes;
    const earlier = (await effectiveOperations(trx, customer.id, kind, 20)).find(
      (op) => on === undefined || paramsOf(op).on === on,
    );
    const previous = earlier?.result
      ? (JSON.parse(earlier.result) as { previousStatus?: CustomerStatus }).previousStatus
      : undefined;
    if (previous) target = previous;
  }
  return perform(
    trx,
    ctx,
    staff,
    { kind: move.kind, customerId: customer.id, params: move.params },
    {
      ip,
      needsApproval: false,
      execute: async (inner) => {
        await setCustomerStatus(inner, ctx, customer.id, target);
        // Whoever is signed in now is out: a suspended or investigated customer has no session.
        if (target === 'suspended' || target === 'under_investigation') await endSessionsOf(inner, ctx, customer.id);
        return { result: { previousStatus: customer.status, status: target } };
      },
    },
  );
}

export function suspendEbanking(trx: Tx, ctx: AppContext, staff: StaffRow, customerId: string, ip: Ip) {
  return moveStatus(
    trx,
    ctx,
    staff,
    customerId,
    { kind: 'ebanking.suspend', params: {}, from: ['active', 'not_activated'], to: 'suspended' },
    ip,
  );
}

export function resumeEbanking(trx: Tx, ctx: AppContext, staff: StaffRow, customerId: string, ip: Ip) {
  return moveStatus(
    trx,
    ctx,
    staff,
    customerId,
    { kind: 'ebanking.resume', params: {}, from: ['suspended'], to: 'previous', undoes: { kind: 'ebanking.suspend' } },
    ip,
  );
}

/**
 * Turns the customer's e-commerce function (paying merchants online, issue 17) on or off at once: one
 * call into merchants/, the switch stored in the operation's parameters for the receipt.
 */
export async function switchEcommerce(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  customerId: string,
  on: boolean,
  ip: Ip,
) {
  const customer = await customerFor(trx, customerId);
  if (customer.status === 'closed') throw new AppError(errors['counter.customer_state'], statusParams(customer.status));
  return perform(
    trx,
    ctx,
    staff,
    { kind: 'customer.ecommerce', customerId: customer.id, params: { on } },
    {
      ip,
      needsApproval: false,
      execute: async (inner) => {
        await setEcommerce(inner, customer.id, on, ctx.clock.nowMs());
        return { result: { ecommerce: on } };
      },
    },
  );
}

/** Marks or clears "under investigation": online banking refuses the customer while it is on. */
export function setInvestigation(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  customerId: string,
  input: { on: boolean; reason: string },
  ip: Ip,
) {
  const params = { on: input.on, reason: input.reason };
  if (input.on)
    return moveStatus(
      trx,
      ctx,
      staff,
      customerId,
      {
        kind: 'customer.investigation',
        params,
        from: ['active', 'not_activated', 'suspended'],
        to: 'under_investigation',
      },
      ip,
    );
  return moveStatus(
    trx,
    ctx,
    staff,
    customerId,
    {
      kind: 'customer.investigation',
      params,
      from: ['under_investigation'],
      to: 'previous',
      undoes: { kind: 'customer.investigation', on: true },
    },
    ip,
  );
}

/** Changes the registered mobile: always with a supervisor's approval; the old number is told. */
export async function requestMobileChange(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  customerId: string,
  mobile: string,
  ip: Ip,
) {
  const customer = await customerFor(trx, customerId);
  if (!isMobileNumber(mobile)) throw new AppError('customer.mobile_invalid');
  const holder = await customerIdBy(trx, 'mobile', mobile);
  if (holder && holder !== customer.id) throw new AppError(errors['counter.mobile_taken']);
  return perform(
    trx,
    ctx,
    staff,
    {
      kind: 'customer.mobile',
      customerId: customer.id,
      params: { mobile, previousMobile: maskMobile(customer.mobile) },
    },
    { ip, needsApproval: true, execute: executeMobileChange },
  );
}

const executeMobileChange: Executor = async (trx, ctx, op: OperationRow) => {
  const customerId = op.customer_id as CustomerId;
  const { mobile } = paramsOf<{ mobile: string }>(op);
  const customer = await customerFor(trx, customerId);
  await changeMobile(trx, ctx, customerId, mobile);
  await endSessionsOf(trx, ctx, customerId);
  const nowMs = ctx.clock.nowMs();
  const text = smsText('counter.mobile_changed', {
    at: chinaDateTime(nowMs),
    branch: op.branch_code,
    newMobile: maskMobile(mobile),
  });
  await enqueueMessage(trx, { channel: 'sms', to: customer.mobile, purpose: 'counter.mobile_changed', text }, nowMs);
  return { result: { mobile: maskMobile(mobile) } };
};

export const ebankingExecutors: Record<string, Executor> = {
  'ebanking.password_reset': executeReset,
  'ebanking.unlock': executeUnlock,
  'customer.mobile': executeMobileChange,
};

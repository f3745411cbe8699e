import { accountSpec, cashSpec } from './accountSpecs';
import {
  accessSpec,
  ebankingSpec,
  investigationSpec,
  mobileSpec,
  openAccountSpec,
  passwordResetSpec,
  registerSpec,
} from './customerSpecs';
import { mediaSpec } from './mediaSpecs';
import type { OperationSpec, SpecContext } from './types';

/** The operations menu in order: Alt+1 … Alt+9 and Alt+0 open them. */
export const OPERATIONS = [
  'register',
  'openAccount',
  'cash',
  'ebanking',
  'passwordReset',
  'access',
  'investigation',
  'mobile',
  'account',
  'media',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The key after Alt that opens the operation at `index` (1…9, then 0). */
export function operationKey(index: number): string {
  return String((index + 1) % 10);
}

/** The operation Alt+`key` opens, if any. */
export function operationForKey(key: string): Operation | undefined {
  if (!/^\d$/.test(key)) return undefined;
  return OPERATIONS[(Number(key) + 9) % 10];
}

/** Every operation but registering a new customer works on the customer on screen. */
export function needsCustomer(operation: Operation): boolean {
  return operation !== 'register';
}

/** The form, confirmation and call of `operation` for the customer on screen; undefined without one. */
export function buildSpec(operation: Operation, ctx: SpecContext): OperationSpec | undefined {
  if (operation === 'register') return registerSpec(ctx);
  const { customer } = ctx;
  if (!customer) return undefined;
  const withCustomer = { ...ctx, customer };
  switch (operation) {
    case 'openAccount':
      return openAccountSpec(withCustomer);
    case 'cash':
      return cashSpec(withCustomer);
    case 'ebanking':
      return ebankingSpec(withCustomer);
    case 'passwordReset':
      return passwordResetSpec(withCustomer);
    case 'access':
      return accessSpec(withCustomer);
    case 'investigation':
      return investigationSpec(withCustomer);
    case 'mobile':
      return mobileSpec(withCustomer);
    case 'account':
      return accountSpec(withCustomer);
    case 'media':
      return mediaSpec(withCustomer);
  }
}

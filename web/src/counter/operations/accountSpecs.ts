import { groupCardNumber } from '../../ui/cardNumber';
import { formatMoney } from '../../ui/money';
import { type CounterAccount, type CustomerDetail, counterApi } from '../counterApi';
import { amountOf, checks, fenOf } from './checks';
import { customerRows } from './customerSpecs';
import type { OperationSpec, SpecContext, SummaryRow } from './types';

type CustomerContext = SpecContext & { customer: CustomerDetail };

/** Cash above this needs a supervisor (API.md, "Counter": over ¥50,000.00). */
const CASH_APPROVAL_ABOVE_FEN = 5_000_000;

function accountOption(account: CounterAccount): string {
  return `${groupCardNumber(account.number)} · ${formatMoney(account.balance)}`;
}

function accountRows(ctx: CustomerContext, accountId: string | undefined): SummaryRow[] {
  const account = ctx.customer.accounts.find((a) => a.id === accountId);
  if (!account) return [];
  const rows: SummaryRow[] = [{ label: ctx.t('customer.number'), value: groupCardNumber(account.number) }];
  if (account.cardNumber)
    rows.push({ label: ctx.t('customer.cardNumber'), value: groupCardNumber(account.cardNumber) });
  return rows;
}

function openAccounts(customer: CustomerDetail): CounterAccount[] {
  return customer.accounts.filter((account) => account.status !== 'closed');
}

/** Cash deposit or withdrawal against the branch's cash account; one Idempotency-Key per submission. */
export function cashSpec(ctx: CustomerContext): OperationSpec {
  const { customer, t, preset } = ctx;
  const check = checks(t);
  const accounts = openAccounts(customer);
  return {
    fields: [
      {
        name: 'accountId',
        label: t('fields.account'),
        kind: 'select',
        options: accounts.map((account) => ({ value: account.id, label: accountOption(account) })),
        check: check.required,
      },
      {
        name: 'direction',
        label: t('fields.direction'),
        kind: 'select',
        options: [
          { value: 'deposit', label: t('fields.deposit') },
          { value: 'withdrawal', label: t('fields.withdrawal') },
        ],
      },
      { name: 'amount', label: t('fields.amount'), kind: 'amount', check: check.amount, maxLength: 20 },
    ],
    initial: {
      accountId: preset.accountId ?? accounts[0]?.id ?? '',
      direction: preset.direction ?? 'deposit',
      amount: '',
    },
    note: (v) => (fenOf(v.amount) > CASH_APPROVAL_ABOVE_FEN ? t('form.approvalHint') : undefined),
    summary: (v) => [
      ...customerRows(ctx),
      ...accountRows(ctx, v.accountId),
      {
        label: t('fields.direction'),
        value: v.direction === 'withdrawal' ? t('fields.withdrawal') : t('fields.deposit'),
      },
      { label: t('fields.amount'), amount: amountOf(v.amount), testId: 'confirm-amount' },
    ],
    submit: (v, idempotencyKey) =>
      counterApi('/api/v1/counter/cash', {
        method: 'POST',
        headers: { 'Idempotency-Key': idempotencyKey },
        body: {
          accountId: v.accountId,
          direction: v.direction === 'withdrawal' ? 'withdrawal' : 'deposit',
          amount: { amount: amountOf(v.amount), currency: 'CNY' },
        },
      }),
    title: (v) => (v.direction === 'withdrawal' ? t('fields.withdrawal') : t('fields.deposit')),
    amount: (v) => amountOf(v.amount),
  };
}

/** Freeze (with a reason), unfreeze (approval) or close (approval when the balance is not zero). */
export function accountSpec(ctx: CustomerContext): OperationSpec {
  const { customer, t, preset } = ctx;
  const check = checks(t);
  const accounts = openAccounts(customer);
  const actions = ['freeze', 'unfreeze', 'close'] as const;
  const first = accounts.find((a) => a.id === preset.accountId) ?? accounts[0];
  return {
    fields: [
      {
        name: 'accountId',
        label: t('fields.account'),
        kind: 'select',
        options: accounts.map((account) => ({
          value: account.id,
          label: `${accountOption(account)} · ${t(`accountStatus.${account.status}`, { defaultValue: account.status })}`,
        })),
        check: check.required,
      },
      {
        name: 'action',
        label: t('fields.action'),
        kind: 'select',
        options: actions.map((action) => ({ value: action, label: t(`fields.${action}`) })),
      },
      {
        name: 'reason',
        label: t('fields.reason'),
        check: check.required,
        maxLength: 200,
        shown: (v) => v.action === 'freeze',
      },
    ],
    initial: {
      accountId: first?.id ?? '',
      action: preset.action ?? (first?.status === 'frozen' ? 'unfreeze' : 'freeze'),
      reason: '',
    },
    summary: (v) => {
      const account = customer.accounts.find((a) => a.id === v.accountId);
      const rows = [
        ...customerRows(ctx),
        ...accountRows(ctx, v.accountId),
        { label: t('fields.action'), value: t(`fields.${v.action ?? 'freeze'}`), large: true },
      ];
      if (v.action === 'freeze') rows.push({ label: t('fields.reason'), value: v.reason?.trim() });
      if (account) rows.push({ label: t('customer.balance'), amount: account.balance.amount });
      return rows;
    },
    title: (v) => t(`fields.${v.action ?? 'freeze'}`),
    submit: (v) =>
      counterApi(`/api/v1/counter/accounts/${encodeURIComponent(v.accountId ?? '')}/${v.action ?? 'freeze'}`, {
        method: 'POST',
        body: v.action === 'freeze' ? { reason: v.reason?.trim() } : {},
      }),
  };
}

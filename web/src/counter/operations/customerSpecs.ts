import { groupCardNumber, maskMobile } from '../../ui/cardNumber';
import { type CustomerDetail, counterApi } from '../counterApi';
import { checks } from './checks';
import type { OperationSpec, SpecContext, SummaryRow } from './types';

type CustomerContext = SpecContext & { customer: CustomerDetail };

function customerPath(customer: CustomerDetail, tail: string): string {
  return `/api/v1/counter/customers/${encodeURIComponent(customer.id)}${tail}`;
}

/** The customer's name and ID on top of every confirmation, so the teller reads them back. */
export function customerRows({ customer, t }: CustomerContext): SummaryRow[] {
  return [
    { label: t('form.customer'), value: `${customer.name} · ${customer.idNumberMasked}`, testId: 'confirm-customer' },
  ];
}

/** 客户开户: name, resident ID (GB 11643 check digit) and mobile; the new customer opens next. */
export function registerSpec({ t }: SpecContext): OperationSpec {
  const check = checks(t);
  return {
    fields: [
      { name: 'name', label: t('fields.name'), check: check.required, maxLength: 60 },
      { name: 'idNumber', label: t('fields.idNumber'), check: check.idNumber, maxLength: 18 },
      { name: 'mobile', label: t('fields.mobile'), kind: 'digits', check: check.mobile, maxLength: 11 },
    ],
    initial: { name: '', idNumber: '', mobile: '' },
    summary: (v) => [
      { label: t('fields.name'), value: v.name?.trim(), large: true },
      { label: t('fields.idNumber'), value: v.idNumber?.trim().toUpperCase() },
      { label: t('fields.mobile'), value: v.mobile?.trim() },
    ],
    submit: (v) =>
      counterApi('/api/v1/counter/customers', {
        method: 'POST',
        body: { name: v.name?.trim(), idNumber: v.idNumber?.trim().toUpperCase(), mobile: v.mobile?.trim() },
      }),
    outcome: (answer) => {
      const id = (answer as { id?: string }).id;
      return { rows: id ? [{ label: t('result.customerId'), value: id }] : [], openCustomerId: id };
    },
  };
}

/** 开立账户 / 卡: the customer keys the card PIN twice; the answer names the account and card in full. */
export function openAccountSpec(ctx: CustomerContext): OperationSpec {
  const { customer, t } = ctx;
  const check = checks(t);
  return {
    fields: [
      {
        name: 'cardPin',
        label: t('fields.cardPin'),
        kind: 'pin',
        keyedByCustomer: true,
        hint: t('fields.pinHint'),
        check: check.digits6,
        maxLength: 6,
      },
      {
        name: 'cardPinConfirm',
        label: t('fields.cardPinConfirm'),
        kind: 'pin',
        keyedByCustomer: true,
        check: check.same('cardPin'),
        maxLength: 6,
      },
    ],
    initial: { cardPin: '', cardPinConfirm: '' },
    summary: () => [...customerRows(ctx), { label: t('fields.cardPin'), value: t('form.keyedHidden') }],
    submit: (v) => counterApi(customerPath(customer, '/accounts'), { method: 'POST', body: { cardPin: v.cardPin } }),
    outcome: (answer) => {
      const { number, cardNumber } = answer as { number?: string; cardNumber?: string };
      const rows: SummaryRow[] = [];
      if (number)
        rows.push({
          label: t('result.accountNumber'),
          value: groupCardNumber(number),
          testId: 'result-account-number',
        });
      if (cardNumber)
        rows.push({ label: t('result.cardNumber'), value: groupCardNumber(cardNumber), testId: 'result-card-number' });
      return { rows };
    },
  };
}

/** 柜面注册: a 6–8 digit initial password keyed by the customer; e-banking waits for the first login. */
export function ebankingSpec(ctx: CustomerContext): OperationSpec {
  const { customer, t } = ctx;
  const check = checks(t);
  return {
    fields: [
      {
        name: 'initialPassword',
        label: t('fields.initialPassword'),
        kind: 'pin',
        keyedByCustomer: true,
        hint: t('fields.initialPasswordHint'),
        check: check.digits6to8,
        maxLength: 8,
      },
      {
        name: 'initialPasswordConfirm',
        label: t('fields.initialPasswordConfirm'),
        kind: 'pin',
        keyedByCustomer: true,
        check: check.same('initialPassword'),
        maxLength: 8,
      },
    ],
    initial: { initialPassword: '', initialPasswordConfirm: '' },
    summary: () => [
      ...customerRows(ctx),
      { label: t('fields.mobile'), value: maskMobile(customer.mobile) },
      { label: t('fields.initialPassword'), value: t('form.keyedHidden') },
    ],
    submit: (v) =>
      counterApi(customerPath(customer, '/ebanking'), {
        method: 'POST',
        body: { initialPassword: v.initialPassword },
      }),
  };
}

/** 柜面重置: no fields; the temporary password is shown once, in large type, for the customer. */
export function passwordResetSpec(ctx: CustomerContext): OperationSpec {
  const { customer, t } = ctx;
  return {
    fields: [],
    initial: {},
    summary: () => [...customerRows(ctx), { label: t('fields.mobile'), value: maskMobile(customer.mobile) }],
    submit: () => counterApi(customerPath(customer, '/password-reset'), { method: 'POST', body: {} }),
    outcome: (answer) => {
      const temporaryPassword = (answer as { temporaryPassword?: string }).temporaryPassword;
      return temporaryPassword
        ? {
            secret: {
              label: t('result.temporaryPassword'),
              value: temporaryPassword,
              note: t('result.temporaryPasswordNote'),
            },
          }
        : {};
    },
  };
}

/**
 * Unlock, suspend or resume e-banking, or turn the e-commerce (online payment) function on or off: one
 * form, the action chosen first.
 */
export function accessSpec(ctx: CustomerContext): OperationSpec {
  const { customer, t, preset } = ctx;
  const actions = ['unlock', 'suspend', 'resume', 'ecommerceOn', 'ecommerceOff'] as const;
  const initialAction = preset.action ?? (customer.ebanking.status === 'suspended' ? 'resume' : 'unlock');
  return {
    fields: [
      {
        name: 'action',
        label: t('fields.action'),
        kind: 'select',
        options: actions.map((action) => ({ value: action, label: t(`fields.${action}`) })),
      },
    ],
    initial: { action: initialAction },
    summary: (v) => [...customerRows(ctx), { label: t('fields.action'), value: t(`fields.${v.action ?? 'unlock'}`) }],
    title: (v) => t(`fields.${v.action ?? 'unlock'}`),
    submit: (v) => {
      const action = v.action ?? 'unlock';
      if (action === 'ecommerceOn' || action === 'ecommerceOff')
        return counterApi(customerPath(customer, '/ecommerce'), {
          method: 'POST',
          body: { on: action === 'ecommerceOn' },
        });
      return counterApi(customerPath(customer, `/${action}`), { method: 'POST', body: {} });
    },
  };
}

/** Mark or clear "under investigation", always with a reason for the audit log. */
export function investigationSpec(ctx: CustomerContext): OperationSpec {
  const { customer, t } = ctx;
  const check = checks(t);
  const on = customer.status === 'under_investigation';
  return {
    fields: [
      {
        name: 'on',
        label: t('fields.action'),
        kind: 'select',
        options: [
          { value: 'true', label: t('fields.investigationOn') },
          { value: 'false', label: t('fields.investigationOff') },
        ],
      },
      { name: 'reason', label: t('fields.reason'), check: check.required, maxLength: 200 },
    ],
    initial: { on: on ? 'false' : 'true', reason: '' },
    summary: (v) => [
      ...customerRows(ctx),
      {
        label: t('fields.action'),
        value: v.on === 'true' ? t('fields.investigationOn') : t('fields.investigationOff'),
      },
      { label: t('fields.reason'), value: v.reason?.trim() },
    ],
    title: (v) => (v.on === 'true' ? t('fields.investigationOn') : t('fields.investigationOff')),
    submit: (v) =>
      counterApi(customerPath(customer, '/investigation'), {
        method: 'POST',
        body: { on: v.on === 'true', reason: v.reason?.trim() },
      }),
  };
}

/** Change the registered mobile (takes effect after a supervisor's approval). */
export function mobileSpec(ctx: CustomerContext): OperationSpec {
  const { customer, t } = ctx;
  const check = checks(t);
  return {
    fields: [{ name: 'mobile', label: t('fields.newMobile'), kind: 'digits', check: check.mobile, maxLength: 11 }],
    initial: { mobile: '' },
    summary: (v) => [
      ...customerRows(ctx),
      { label: t('fields.mobile'), value: customer.mobile },
      { label: t('fields.newMobile'), value: v.mobile?.trim(), large: true },
    ],
    submit: (v) => counterApi(customerPath(customer, '/mobile'), { method: 'PUT', body: { mobile: v.mobile?.trim() } }),
  };
}

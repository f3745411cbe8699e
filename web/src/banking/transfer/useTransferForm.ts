import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import { parseAmountInput, toFen } from '../../ui/money';
import { getAccounts, getPayees, type TransferRequest } from '../bankingApi';
import { OWN_BANK_CODE, useBanks } from './useBanks';
import type { Reviewed } from './useTransferFlow';

/** What "transfer again" (a history row, a result page) and the account cards hand to the form. */
export type TransferPrefill = {
  fromAccountId?: string;
  payeeId?: string;
  payeeName?: string;
  accountNumber?: string;
  bankCode?: string;
  amount?: string;
  memo?: string;
};

export type TransferFields = {
  fromAccountId: string;
  /** A saved payee's id, or '' for a new payee typed in. */
  payeeId: string;
  name: string;
  accountNumber: string;
  /** A code from the server's bank list; OWN_BANK_CODE is Jinku itself. */
  bankCode: string;
  amount: string;
  memo: string;
};

export type FieldErrors = Partial<Record<keyof TransferFields, string>>;

export const MEMO_MAX = 60;

function fieldsFrom(prefill: TransferPrefill | undefined): TransferFields {
  return {
    fromAccountId: prefill?.fromAccountId ?? '',
    payeeId: prefill?.payeeId ?? '',
    name: prefill?.payeeName ?? '',
    accountNumber: prefill?.accountNumber ?? '',
    bankCode: prefill?.bankCode ?? OWN_BANK_CODE,
    amount: prefill?.amount ?? '',
    memo: prefill?.memo ?? '',
  };
}

/** The transfer form's fields and lists: a prefill, the default paying account, validation, the request. */
export function useTransferForm(prefill: TransferPrefill | undefined) {
  const { t } = useTranslation('banking');
  const accounts = useQuery({ queryKey: queryKeys.accounts, queryFn: getAccounts });
  const payees = useQuery({ queryKey: queryKeys.payees, queryFn: getPayees });
  const banks = useBanks();
  const [fields, setFields] = useState<TransferFields>(() => fieldsFrom(prefill));
  const [errors, setErrors] = useState<FieldErrors>({});
  const matchedPrefill = useRef(false);

  // Default the paying account to the first active one.
  useEffect(() => {
    const first = accounts.data?.items.find((account) => account.status === 'active') ?? accounts.data?.items[0];
    if (first && !fields.fromAccountId) setFields((current) => ({ ...current, fromAccountId: first.id }));
  }, [accounts.data, fields.fromAccountId]);

  // "Transfer again" from a history row knows the payee's name but not the full number: pick the saved
  // payee of that name when there is exactly one.
  useEffect(() => {
    if (matchedPrefill.current || !payees.data || !prefill?.payeeName || prefill.accountNumber) return;
    matchedPrefill.current = true;
    const matches = payees.data.items.filter(
      (payee) =>
        payee.name === prefill.payeeName && (prefill.bankCode === undefined || payee.bankCode === prefill.bankCode),
    );
    const only = matches.length === 1 ? matches[0] : undefined;
    if (only) setFields((current) => ({ ...current, payeeId: only.id, name: only.name }));
  }, [payees.data, prefill]);

  const selectedPayee = payees.data?.items.find((payee) => payee.id === fields.payeeId);
  const fromAccount = accounts.data?.items.find((account) => account.id === fields.fromAccountId);
  const amount = parseAmountInput(fields.amount);
  // A code the offered banks do not hold (the list failed after a "transfer again") falls back to the own
  // bank, so that the request always carries the bank the select shows.
  const bankCode = banks.items.some((bank) => bank.code === fields.bankCode) ? fields.bankCode : OWN_BANK_CODE;

  function update<K extends keyof TransferFields>(key: K, value: TransferFields[K]) {
    setFields((current) => ({ ...current, [key]: value }));
    if (errors[key]) setErrors((current) => ({ ...current, [key]: undefined }));
  }

  function validate(): FieldErrors {
    const found: FieldErrors = {};
    if (!fromAccount) found.fromAccountId = t('transfer.errors.from');
    if (!selectedPayee) {
      if (!fields.name.trim()) found.name = t('transfer.errors.name');
      const digits = fields.accountNumber.replace(/\s+/g, '');
      if (!/^\d{8,30}$/.test(digits)) found.accountNumber = t('transfer.errors.account');
    }
    if (!amount.ok) {
      found.amount = t(`transfer.errors.amount_${amount.reason}`);
    } else if (fromAccount) {
      const available = toFen(fromAccount.available.amount);
      if (available !== undefined && amount.fen > available) found.amount = t('transfer.errors.amount_available');
    }
    if (fields.memo.length > MEMO_MAX) found.memo = t('transfer.errors.memo', { max: MEMO_MAX });
    return found;
  }

  /** The request and what the confirmation shows of the payee; or undefined, with the first bad field focused. */
  function review(): Reviewed | undefined {
    const found = validate();
    setErrors(found);
    const firstInvalid = Object.keys(found)[0];
    if (firstInvalid) {
      document
        .querySelector<HTMLElement>(`[data-field="${firstInvalid}"] input, [data-field="${firstInvalid}"] select`)
        ?.focus();
      return undefined;
    }
    if (!amount.ok || !fromAccount) return undefined;
    const payee = selectedPayee
      ? {
          name: selectedPayee.name,
          accountNumber: selectedPayee.accountNumber,
          ...(selectedPayee.bankCode ? { bankCode: selectedPayee.bankCode } : {}),
        }
      : {
          name: fields.name.trim(),
          accountNumber: fields.accountNumber.replace(/\s+/g, ''),
          ...(bankCode === OWN_BANK_CODE ? {} : { bankCode }),
        };
    const request: TransferRequest = {
      fromAccountId: fromAccount.id,
      ...(selectedPayee ? { payeeId: selectedPayee.id } : { payee }),
      amount: { amount: amount.amount, currency: fromAccount.balance.currency || 'CNY' },
      ...(fields.memo.trim() ? { memo: fields.memo.trim() } : {}),
    };
    return {
      request,
      payee: {
        name: payee.name,
        account: payee.accountNumber,
        bank: selectedPayee?.bankName ?? banks.nameOf(bankCode),
        interbank: (selectedPayee?.bankCode ?? bankCode) !== OWN_BANK_CODE,
        typedIn: !selectedPayee,
      },
    };
  }

  /** Fills the form again from a request that was sent ("transfer again" on the result page). */
  function fillFrom(request: TransferRequest) {
    setFields({
      fromAccountId: request.fromAccountId,
      payeeId: request.payeeId ?? '',
      name: request.payee?.name ?? '',
      accountNumber: request.payee?.accountNumber ?? '',
      bankCode: request.payee?.bankCode ?? OWN_BANK_CODE,
      amount: request.amount.amount,
      memo: request.memo ?? '',
    });
  }

  return {
    accounts,
    payees,
    banks,
    fields: { ...fields, bankCode },
    errors,
    update,
    selectedPayee,
    fromAccount,
    amount,
    review,
    fillFrom,
  };
}

export type TransferForm = ReturnType<typeof useTransferForm>;

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Button } from '../ui/Button';
import { maskCardNumber } from '../ui/cardNumber';
import { Money } from '../ui/Money';
import { parseAmountInput, toChineseCapitals, toFen } from '../ui/money';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { TextField } from '../ui/TextField';
import { ReservedMessage } from './AccountsOverview';
import { AuthorizeStep } from './AuthorizeStep';
import {
  getAccounts,
  getPayees,
  newIdempotencyKey,
  postTransfer,
  resendTransferCode,
  receiptUrl,
  type Transfer,
  type TransferRequest,
} from './bankingApi';
import { BANKS, bankName } from './banks';
import { SelectField } from './SelectField';
import { AccountOption, PayeeOption, TransferResult, TransferSummary } from './transfer/parts';

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

type Form = {
  fromAccountId: string;
  /** A saved payee's id, or '' for a new payee typed in. */
  payeeId: string;
  name: string;
  accountNumber: string;
  /** '' is this bank. */
  bankCode: string;
  amount: string;
  memo: string;
};

type Errors = Partial<Record<keyof Form, string>>;

type Step =
  | { kind: 'form' }
  | { kind: 'confirm'; request: TransferRequest; payee: { name: string; account: string; bank: string } }
  | {
      kind: 'authorize';
      request: TransferRequest;
      payee: { name: string; account: string; bank: string };
      transfer: Transfer;
    }
  | {
      kind: 'result';
      request: TransferRequest;
      payee: { name: string; account: string; bank: string };
      transfer: Transfer;
    };

const MEMO_MAX = 60;

function formFromPrefill(prefill: TransferPrefill | undefined): Form {
  return {
    fromAccountId: prefill?.fromAccountId ?? '',
    payeeId: prefill?.payeeId ?? '',
    name: prefill?.payeeName ?? '',
    accountNumber: prefill?.accountNumber ?? '',
    bankCode: prefill?.bankCode ?? '',
    amount: prefill?.amount ?? '',
    memo: prefill?.memo ?? '',
  };
}

/**
 * `/transfer`: the form, a confirmation that shows exactly what will be sent (with the amount in Chinese
 * capitals and the reserved message), the security medium's challenge when the server asks for one, and
 * the result with the electronic receipt. One Idempotency-Key per confirmation, reused for its retries.
 */
export function TransferPage() {
  const { t } = useTranslation('banking');
  const location = useLocation();
  const client = useQueryClient();
  const initialPrefill = (location.state as { prefill?: TransferPrefill } | null)?.prefill;
  const [form, setForm] = useState<Form>(() => formFromPrefill(initialPrefill));
  const [errors, setErrors] = useState<Errors>({});
  const [step, setStep] = useState<Step>({ kind: 'form' });
  const [submitError, setSubmitError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef<string | undefined>(undefined);
  const matchedPrefill = useRef(false);
  const accounts = useQuery({ queryKey: ['accounts'], queryFn: getAccounts });
  const payees = useQuery({ queryKey: ['payees'], queryFn: getPayees });
  useDocumentTitle(`${t('transfer.title')} · ${t('brand.name', { ns: 'common' })}`);

  // Default the paying account to the first active one.
  useEffect(() => {
    const first = accounts.data?.items.find((account) => account.status === 'active') ?? accounts.data?.items[0];
    if (first && !form.fromAccountId) setForm((current) => ({ ...current, fromAccountId: first.id }));
  }, [accounts.data, form.fromAccountId]);

  // "Transfer again" from a history row knows the payee's name but not the full number: pick the saved
  // payee of that name when there is exactly one.
  useEffect(() => {
    if (matchedPrefill.current || !payees.data || !initialPrefill?.payeeName || initialPrefill.accountNumber) return;
    matchedPrefill.current = true;
    const matches = payees.data.items.filter(
      (payee) =>
        payee.name === initialPrefill.payeeName &&
        (initialPrefill.bankCode === undefined || (payee.bankCode ?? '') === initialPrefill.bankCode),
    );
    const only = matches.length === 1 ? matches[0] : undefined;
    if (only) setForm((current) => ({ ...current, payeeId: only.id, name: only.name }));
  }, [payees.data, initialPrefill]);

  const selectedPayee = payees.data?.items.find((payee) => payee.id === form.payeeId);
  const fromAccount = accounts.data?.items.find((account) => account.id === form.fromAccountId);
  const parsedAmount = parseAmountInput(form.amount);

  function update<K extends keyof Form>(key: K, value: Form[K]) {
    setForm((current) => ({ ...current, [key]: value }));
    if (errors[key]) setErrors((current) => ({ ...current, [key]: undefined }));
  }

  function validate(): Errors {
    const found: Errors = {};
    if (!fromAccount) found.fromAccountId = t('transfer.errors.from');
    if (!selectedPayee) {
      if (!form.name.trim()) found.name = t('transfer.errors.name');
      const digits = form.accountNumber.replace(/\s+/g, '');
      if (!/^\d{8,30}$/.test(digits)) found.accountNumber = t('transfer.errors.account');
    }
    if (!parsedAmount.ok) {
      found.amount = t(`transfer.errors.amount_${parsedAmount.reason}`);
    } else if (fromAccount) {
      const available = toFen(fromAccount.available.amount);
      if (available !== undefined && parsedAmount.fen > available) found.amount = t('transfer.errors.amount_available');
    }
    if (form.memo.length > MEMO_MAX) found.memo = t('transfer.errors.memo', { max: MEMO_MAX });
    return found;
  }

  function next(event: FormEvent) {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    const firstInvalid = Object.keys(found)[0];
    if (firstInvalid) {
      document
        .querySelector<HTMLElement>(`[data-field="${firstInvalid}"] input, [data-field="${firstInvalid}"] select`)
        ?.focus();
      return;
    }
    if (!parsedAmount.ok || !fromAccount) return;
    const payee = selectedPayee
      ? {
          name: selectedPayee.name,
          accountNumber: selectedPayee.accountNumber,
          ...(selectedPayee.bankCode ? { bankCode: selectedPayee.bankCode } : {}),
        }
      : {
          name: form.name.trim(),
          accountNumber: form.accountNumber.replace(/\s+/g, ''),
          ...(form.bankCode ? { bankCode: form.bankCode } : {}),
        };
    const request: TransferRequest = {
      fromAccountId: fromAccount.id,
      ...(selectedPayee ? { payeeId: selectedPayee.id } : { payee }),
      amount: { amount: parsedAmount.amount, currency: fromAccount.balance.currency || 'CNY' },
      ...(form.memo.trim() ? { memo: form.memo.trim() } : {}),
    };
    idempotencyKey.current = newIdempotencyKey();
    setSubmitError(undefined);
    setStep({
      kind: 'confirm',
      request,
      payee: {
        name: payee.name,
        account: maskCardNumber(payee.accountNumber),
        bank: selectedPayee?.bankName ?? bankName(payee.bankCode, t),
      },
    });
  }

  async function confirm() {
    if (step.kind !== 'confirm' || busy) return;
    idempotencyKey.current ??= newIdempotencyKey();
    setBusy(true);
    setSubmitError(undefined);
    try {
      const transfer = await postTransfer(step.request, idempotencyKey.current);
      if (transfer.status === 'authorization_required' && transfer.authorization) {
        setStep({ ...step, kind: 'authorize', transfer });
      } else {
        finish(step, transfer);
      }
    } catch (error) {
      // The same key goes with a retry of this confirmation, so a lost answer cannot pay twice.
      setSubmitError(error);
    } finally {
      setBusy(false);
    }
  }

  function finish(from: Extract<Step, { request: TransferRequest }>, transfer: Transfer) {
    idempotencyKey.current = undefined;
    void client.invalidateQueries({ queryKey: ['accounts'] });
    void client.invalidateQueries({ queryKey: ['transactions'] });
    void client.invalidateQueries({ queryKey: ['balance-history'] });
    void client.invalidateQueries({ queryKey: ['payees'] });
    setStep({ kind: 'result', request: from.request, payee: from.payee, transfer });
  }

  /** A new SMS means a new transfer attempt: a fresh key, the same confirmed request. */
  async function restartAuthorization(): Promise<Transfer | undefined> {
    if (step.kind !== 'authorize') return undefined;
    // A new code for the same transfer (the server binds it to this payee and amount again).
    const transfer = await resendTransferCode(step.transfer.id);
    if (transfer.status === 'authorization_required' && transfer.authorization) {
      setStep({ ...step, transfer });
    } else {
      finish(step, transfer);
    }
    return transfer;
  }

  function edit() {
    idempotencyKey.current = undefined;
    setSubmitError(undefined);
    setStep({ kind: 'form' });
  }

  function again() {
    if (step.kind !== 'result') return;
    const { request } = step;
    setForm({
      fromAccountId: request.fromAccountId,
      payeeId: request.payeeId ?? '',
      name: request.payee?.name ?? '',
      accountNumber: request.payee?.accountNumber ?? '',
      bankCode: request.payee?.bankCode ?? '',
      amount: request.amount.amount,
      memo: request.memo ?? '',
    });
    edit();
  }

  const stepIndex = { form: 0, confirm: 1, authorize: 1, result: 2 }[step.kind];

  return (
    <>
      <h1 className="app-page__title">{t('transfer.title')}</h1>
      <ol className="stepper" aria-label={t('transfer.progress')}>
        {(['fill', 'confirm', 'done'] as const).map((name, index) => {
          const current = index === stepIndex;
          return (
            <li
              key={name}
              className={current ? 'stepper__item stepper__item--current' : 'stepper__item'}
              aria-current={current ? 'step' : undefined}
            >
              <span className="stepper__number" aria-hidden="true">
                {index + 1}
              </span>
              {t(`transfer.steps.${name}`)}
            </li>
          );
        })}
      </ol>

      {step.kind === 'form' && (
        <form className="panel transfer-form" onSubmit={next} noValidate aria-labelledby="transfer-form-title">
          <h2 id="transfer-form-title" className="visually-hidden">
            {t('transfer.steps.fill')}
          </h2>
          {accounts.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
          {accounts.isError && <ProblemAlert error={accounts.error} />}
          <div data-field="fromAccountId">
            <SelectField
              label={t('transfer.from')}
              value={form.fromAccountId}
              onChange={(event) => update('fromAccountId', event.target.value)}
              error={errors.fromAccountId}
              testId="transfer-from"
              hint={
                fromAccount && (
                  <>
                    {t('transfer.available')} <Money value={fromAccount.available} />
                  </>
                )
              }
            >
              <option value="" disabled>
                {t('transfer.choose')}
              </option>
              {accounts.data?.items.map((account) => (
                <AccountOption key={account.id} account={account} />
              ))}
            </SelectField>
          </div>

          <fieldset className="fieldset">
            <legend>{t('transfer.payee')}</legend>
            <SelectField
              label={t('transfer.payeePicker')}
              value={form.payeeId}
              onChange={(event) => update('payeeId', event.target.value)}
              testId="payee-picker"
              hint={payees.isError ? t('transfer.payeesFailed') : undefined}
            >
              <option value="">{t('transfer.newPayee')}</option>
              {payees.data?.items.map((payee) => (
                <PayeeOption key={payee.id} payee={payee} />
              ))}
            </SelectField>
            {selectedPayee ? (
              <dl className="payee-summary" data-testid="payee-summary">
                <div>
                  <dt>{t('transfer.payeeName')}</dt>
                  <dd>{selectedPayee.name}</dd>
                </div>
                <div>
                  <dt>{t('transfer.payeeAccount')}</dt>
                  <dd className="tabular">{maskCardNumber(selectedPayee.accountNumber)}</dd>
                </div>
                <div>
                  <dt>{t('transfer.payeeBank')}</dt>
                  <dd>{selectedPayee.bankName ?? bankName(selectedPayee.bankCode ?? undefined, t)}</dd>
                </div>
              </dl>
            ) : (
              <div className="field-row">
                <div data-field="name">
                  <TextField
                    label={t('transfer.payeeName')}
                    value={form.name}
                    onChange={(event) => update('name', event.target.value)}
                    error={errors.name}
                    autoComplete="off"
                    maxLength={60}
                    required
                    testId="payee-name"
                  />
                </div>
                <div data-field="accountNumber">
                  <TextField
                    label={t('transfer.payeeAccount')}
                    value={form.accountNumber}
                    onChange={(event) => update('accountNumber', event.target.value.replace(/[^\d\s]/g, ''))}
                    error={errors.accountNumber}
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={40}
                    required
                    testId="payee-account"
                    className="tabular"
                  />
                </div>
                <div data-field="bankCode">
                  <SelectField
                    label={t('transfer.payeeBank')}
                    value={form.bankCode}
                    onChange={(event) => update('bankCode', event.target.value)}
                    testId="payee-bank"
                  >
                    {BANKS.map((bank) => (
                      <option key={bank.code} value={bank.code}>
                        {bankName(bank.code, t)}
                      </option>
                    ))}
                  </SelectField>
                </div>
              </div>
            )}
          </fieldset>

          <div data-field="amount" className="amount-field">
            <TextField
              label={t('transfer.amount')}
              value={form.amount}
              onChange={(event) => update('amount', event.target.value)}
              error={errors.amount}
              inputMode="decimal"
              autoComplete="off"
              maxLength={20}
              required
              size="lg"
              testId="transfer-amount"
              className="tabular"
              hint={
                <span
                  data-testid="amount-capital"
                  className={parsedAmount.ok ? 'amount-capital' : 'amount-capital amount-capital--empty'}
                  aria-live="polite"
                >
                  {parsedAmount.ok ? toChineseCapitals(parsedAmount.amount) : t('transfer.capitalHint')}
                </span>
              }
            />
          </div>
          <div data-field="memo">
            <TextField
              label={t('transfer.memo')}
              value={form.memo}
              onChange={(event) => update('memo', event.target.value)}
              error={errors.memo}
              maxLength={MEMO_MAX}
              testId="transfer-memo"
              hint={t('transfer.memoHint', { count: form.memo.length, max: MEMO_MAX })}
            />
          </div>
          <div className="panel__actions">
            <Button type="submit" size="lg" data-testid="transfer-next">
              {t('transfer.next')}
            </Button>
          </div>
        </form>
      )}

      {step.kind === 'confirm' && (
        <section className="panel" aria-labelledby="confirm-title">
          <h2 id="confirm-title" className="section-title">
            {t('transfer.confirmTitle')}
          </h2>
          <TransferSummary request={step.request} payee={step.payee} account={fromAccount} />
          <ReservedMessage testId="confirm-reserved-message" compact />
          {submitError !== undefined && <ProblemAlert error={submitError} testId="transfer-error" />}
          <div className="panel__actions">
            <Button variant="secondary" onClick={edit} disabled={busy} data-testid="transfer-edit">
              {t('transfer.edit')}
            </Button>
            <Button size="lg" onClick={() => void confirm()} busy={busy} data-testid="confirm-transfer">
              {submitError === undefined ? t('transfer.confirm') : t('transfer.confirmRetry')}
            </Button>
          </div>
        </section>
      )}

      {step.kind === 'authorize' && step.transfer.authorization && (
        <section className="panel" aria-labelledby="authorize-title">
          <h2 id="authorize-title" className="section-title">
            {t('auth.title')}
          </h2>
          <TransferSummary request={step.request} payee={step.payee} account={fromAccount} compact />
          <AuthorizeStep
            transfer={step.transfer}
            authorization={step.transfer.authorization}
            onDone={(transfer) => finish(step, transfer)}
            onResend={restartAuthorization}
            onCancel={edit}
          />
        </section>
      )}

      {step.kind === 'result' && (
        <section className="panel" aria-labelledby="result-title">
          <TransferResult transfer={step.transfer} />
          <TransferSummary request={step.request} payee={step.payee} account={fromAccount} compact />
          <div className="panel__actions">
            {(step.transfer.status === 'completed' || step.transfer.status === 'pending') && (
              <a
                className="btn btn--secondary btn--md"
                href={receiptUrl(step.transfer.id)}
                target="_blank"
                rel="noopener"
                data-testid="receipt-link"
              >
                <span className="btn__label">{t('result.receipt')}</span>
              </a>
            )}
            <Button variant="secondary" onClick={again} data-testid="transfer-again">
              {t('result.again')}
            </Button>
            <Link className="btn btn--primary btn--md" to="/accounts">
              <span className="btn__label">{t('result.toAccounts')}</span>
            </Link>
          </div>
        </section>
      )}
    </>
  );
}

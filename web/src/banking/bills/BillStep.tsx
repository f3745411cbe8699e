import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button';
import { formatBankDateTime } from '../../ui/bankTime';
import { maskCardNumber } from '../../ui/cardNumber';
import { Money } from '../../ui/Money';
import { parseAmountInput, toChineseCapitals } from '../../ui/money';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { SelectField } from '../../ui/SelectField';
import { TextField } from '../../ui/TextField';
import { type Account, newIdempotencyKey } from '../bankingApi';
import { AccountOption } from '../transfer/parts';
import { TransferLimits } from '../transfer/TransferLimits';
import { type Bill, type Biller, type BillPayment, postBillPayment } from './billsApi';

type Props = {
  biller: Biller;
  bill: Bill;
  accounts: Account[];
  onPayment: (payment: BillPayment) => void;
  onBack: () => void;
};

/**
 * The bill as the biller answered it and the payment form: the amount due (or the top-up choices), the
 * amount in capitals, the paying account with what is available, and the limits in sight. One
 * Idempotency-Key per bill shown, reused for its retries, so that a lost answer cannot pay twice.
 */
export function BillStep({ biller, bill, accounts, onPayment, onBack }: Props) {
  const { t } = useTranslation('bills');
  const payable = accounts.filter((account) => account.status === 'active');
  const [fromAccountId, setFromAccountId] = useState(payable[0]?.id ?? '');
  const [amountText, setAmountText] = useState(bill.amountDue?.amount ?? bill.topUpChoices?.[1]?.amount ?? '');
  const [errors, setErrors] = useState<{ from?: string; amount?: string }>({});
  const key = useRef(newIdempotencyKey());
  const pay = useMutation({
    mutationFn: (amount: string) =>
      postBillPayment(
        { billerId: biller.id, billAccount: bill.billAccount, fromAccountId, amount: { amount, currency: 'CNY' } },
        key.current,
      ),
    onSuccess: onPayment,
  });
  const amount = parseAmountInput(amountText);
  const fromAccount = payable.find((account) => account.id === fromAccountId);
  const nothingDue = bill.amountDue !== null && bill.amountDue.amount === '0.00';

  function submit(event: FormEvent) {
    event.preventDefault();
    if (pay.isPending) return;
    const found = {
      from: fromAccount ? undefined : t('bill.missingFrom'),
      amount: amount.ok ? undefined : t('bill.badAmount'),
    };
    setErrors(found);
    if (!fromAccount || !amount.ok) return;
    // A changed amount is another request: it gets its own key.
    if (pay.isError && pay.variables !== amount.amount) key.current = newIdempotencyKey();
    pay.mutate(amount.amount);
  }

  return (
    <section className="panel" aria-labelledby="bill-title">
      <h2 id="bill-title" className="section-title">
        {t('bill.title')}
      </h2>
      <dl className="summary" data-testid="bill-summary">
        <div>
          <dt>{t('bill.biller')}</dt>
          <dd data-testid="bill-biller-name">{biller.name}</dd>
        </div>
        <div>
          <dt>{t('bill.account')}</dt>
          <dd className="tabular">{bill.billAccount}</dd>
        </div>
        <div>
          <dt>{t('bill.holder')}</dt>
          <dd data-testid="bill-holder">{bill.holderName}</dd>
        </div>
        {bill.period && (
          <div>
            <dt>{t('bill.period')}</dt>
            <dd className="tabular">{bill.period}</dd>
          </div>
        )}
        {bill.amountDue && (
          <div>
            <dt>{t('bill.due')}</dt>
            <dd data-testid="bill-due">
              <Money value={bill.amountDue} size="lg" />
            </dd>
          </div>
        )}
      </dl>
      {nothingDue ? (
        <p className="bills__paid" role="status" data-testid="bill-paid">
          {t('bill.paid')}
        </p>
      ) : (
        <form className="bills__pay" onSubmit={submit} noValidate>
          {bill.topUpChoices && (
            <fieldset className="bill-categories">
              <legend>{t('bill.topUpChoose')}</legend>
              {bill.topUpChoices.map((choice) => (
                <label key={choice.amount} className="bill-category">
                  <input
                    type="radio"
                    name="top-up"
                    checked={amount.ok && amount.amount === choice.amount}
                    onChange={() => setAmountText(choice.amount)}
                    data-testid={`top-up-${choice.amount}`}
                  />
                  <Money value={choice} />
                </label>
              ))}
            </fieldset>
          )}
          <TextField
            label={bill.topUpChoices ? t('bill.other') : t('bill.amount')}
            value={amountText}
            onChange={(event) => setAmountText(event.target.value)}
            error={errors.amount}
            inputMode="decimal"
            autoComplete="off"
            maxLength={20}
            size="lg"
            testId="bill-amount"
            className="tabular"
            hint={
              <span
                data-testid="bill-amount-capital"
                className={amount.ok ? 'amount-capital' : 'amount-capital amount-capital--empty'}
                aria-live="polite"
              >
                {amount.ok ? toChineseCapitals(amount.amount) : t('bill.capitalHint')}
              </span>
            }
          />
          <SelectField
            label={t('bill.from')}
            value={fromAccountId}
            onChange={(event) => setFromAccountId(event.target.value)}
            error={errors.from}
            testId="bill-from"
            hint={
              fromAccount && (
                <>
                  {t('bill.available')} <Money value={fromAccount.available} />
                </>
              )
            }
          >
            <option value="" disabled>
              {t('bill.choose')}
            </option>
            {accounts.map((account) => (
              <AccountOption key={account.id} account={account} />
            ))}
          </SelectField>
          <TransferLimits />
          {pay.error && <ProblemAlert error={pay.error} testId="bill-pay-error" />}
          <div className="panel__actions">
            <Button variant="secondary" onClick={onBack} disabled={pay.isPending}>
              {t('bill.change')}
            </Button>
            <Button type="submit" size="lg" busy={pay.isPending} data-testid="bill-pay">
              {pay.isError ? t('bill.payRetry') : t('bill.pay')}
            </Button>
          </div>
        </form>
      )}
      {nothingDue && (
        <div className="panel__actions">
          <Button variant="secondary" onClick={onBack}>
            {t('bill.change')}
          </Button>
        </div>
      )}
    </section>
  );
}

/** The facts of a bill payment: what the customer signs, and on the result what the bank recorded. */
export function BillSummary({
  biller,
  payment,
  account,
  recorded = false,
}: {
  biller: Biller;
  payment: BillPayment;
  account: Account | undefined;
  recorded?: boolean;
}) {
  const { t } = useTranslation('bills');
  const at = payment.completedAt ?? payment.createdAt;
  return (
    <dl className="summary summary--compact" data-testid="bill-payment-summary">
      {recorded && (
        <>
          <div>
            <dt>{t('result.serial')}</dt>
            <dd className="tabular" data-testid="bill-serial">
              {payment.id}
            </dd>
          </div>
          <div>
            <dt>{t('result.time')}</dt>
            <dd className="tabular" data-testid="bill-time">
              {formatBankDateTime(at)}
            </dd>
          </div>
        </>
      )}
      <div>
        <dt>{t('bill.biller')}</dt>
        <dd>{biller.name}</dd>
      </div>
      <div>
        <dt>{t('bill.account')}</dt>
        <dd className="tabular">{payment.billAccount}</dd>
      </div>
      <div>
        <dt>{t('bill.from')}</dt>
        <dd className="tabular">{account ? maskCardNumber(account.number) : payment.fromAccountId}</dd>
      </div>
      <div>
        <dt>{t('bill.amount')}</dt>
        <dd>
          <Money value={payment.amount} size="lg" />
        </dd>
      </div>
      <div>
        <dt>{t('bill.amountCapital')}</dt>
        <dd data-testid="bill-confirm-capital">{toChineseCapitals(payment.amount.amount)}</dd>
      </div>
    </dl>
  );
}

import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button';
import { Money } from '../../ui/Money';
import { toChineseCapitals } from '../../ui/money';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { SelectField } from '../../ui/SelectField';
import { Spinner } from '../../ui/Spinner';
import { TextField } from '../../ui/TextField';
import { AccountOption } from './parts';
import { PayeeFields } from './PayeeFields';
import { TransferLimits } from './TransferLimits';
import { MEMO_MAX, type TransferForm as Form } from './useTransferForm';
import type { Reviewed } from './useTransferFlow';

/** The form step: paying account (with what is available), payee, amount (with its capitals) and memo. */
export function TransferForm({ form, onReview }: { form: Form; onReview: (reviewed: Reviewed) => void }) {
  const { t } = useTranslation('banking');
  const { accounts, fields, errors, update, fromAccount, amount } = form;

  // Until the accounts are in and the first one chosen, Next would only say "choose an account".
  const preparing = accounts.isPending || (!fields.fromAccountId && (accounts.data?.items.length ?? 0) > 0);

  function next(event: FormEvent) {
    event.preventDefault();
    const reviewed = form.review();
    if (reviewed) onReview(reviewed);
  }

  return (
    <form className="panel transfer-form" onSubmit={next} noValidate aria-labelledby="transfer-form-title">
      <h2 id="transfer-form-title" className="visually-hidden">
        {t('transfer.steps.fill')}
      </h2>
      {accounts.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
      {accounts.isError && <ProblemAlert error={accounts.error} />}
      <div data-field="fromAccountId">
        <SelectField
          label={t('transfer.from')}
          value={fields.fromAccountId}
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

      <PayeeFields form={form} />

      <div data-field="amount" className="amount-field">
        <TextField
          label={t('transfer.amount')}
          value={fields.amount}
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
              className={amount.ok ? 'amount-capital' : 'amount-capital amount-capital--empty'}
              aria-live="polite"
            >
              {amount.ok ? toChineseCapitals(amount.amount) : t('transfer.capitalHint')}
            </span>
          }
        />
      </div>
      <div data-field="memo">
        <TextField
          label={t('transfer.memo')}
          value={fields.memo}
          onChange={(event) => update('memo', event.target.value)}
          error={errors.memo}
          maxLength={MEMO_MAX}
          testId="transfer-memo"
          hint={t('transfer.memoHint', { count: fields.memo.length, max: MEMO_MAX })}
        />
      </div>
      <TransferLimits />
      <div className="panel__actions">
        <Button type="submit" size="lg" busy={preparing} data-testid="transfer-next">
          {t('transfer.next')}
        </Button>
      </div>
    </form>
  );
}

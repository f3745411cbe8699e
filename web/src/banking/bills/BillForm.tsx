import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { SelectField } from '../../ui/SelectField';
import { TextField } from '../../ui/TextField';
import { type BillCategory, type Biller, CATEGORIES } from './billsApi';

/** What the form asks the biller about. */
export type BillLookup = { billerId: string; billAccount: string };

type Props = {
  billers: Biller[];
  /** The last lookup, to start from when the customer comes back to the form. */
  initial: BillLookup | undefined;
  busy: boolean;
  error: Error | undefined;
  onLookup: (lookup: BillLookup) => void;
};

/** The lookup form: a category (as a row of choices), its billers with their region, the bill account. */
export function BillForm({ billers, initial, busy, error, onLookup }: Props) {
  const { t } = useTranslation('bills');
  const start = billers.find((biller) => biller.id === initial?.billerId);
  const [category, setCategory] = useState<BillCategory>(start?.category ?? 'electricity');
  const [billerId, setBillerId] = useState(start?.id ?? '');
  const [billAccount, setBillAccount] = useState(initial?.billAccount ?? '');
  const [errors, setErrors] = useState<{ biller?: string; account?: string }>({});
  const offered = billers.filter((biller) => biller.category === category);
  const chosen = offered.find((biller) => biller.id === billerId) ?? (offered.length === 1 ? offered[0] : undefined);

  function choose(next: BillCategory) {
    setCategory(next);
    setBillerId('');
    setErrors({});
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const account = billAccount.replace(/[\s-]/g, '');
    const found = {
      biller: chosen ? undefined : t('form.missingBiller'),
      account: account ? undefined : t('form.missingAccount'),
    };
    setErrors(found);
    if (chosen && account) onLookup({ billerId: chosen.id, billAccount: account });
  }

  const mobile = category === 'mobile';
  return (
    <form className="panel bills__form" onSubmit={submit} noValidate aria-labelledby="bills-form-title">
      <h2 id="bills-form-title" className="section-title">
        {t('form.title')}
      </h2>
      <fieldset className="bill-categories">
        <legend className="visually-hidden">{t('categories.label')}</legend>
        {CATEGORIES.map((item) => (
          <label key={item} className={item === category ? 'bill-category bill-category--on' : 'bill-category'}>
            <input
              type="radio"
              name="bill-category"
              value={item}
              checked={item === category}
              onChange={() => choose(item)}
              data-testid={`bill-category-${item}`}
            />
            {t(`categories.${item}`)}
          </label>
        ))}
      </fieldset>
      <SelectField
        label={t('form.biller')}
        value={chosen?.id ?? ''}
        onChange={(event) => setBillerId(event.target.value)}
        error={errors.biller}
        testId="bill-biller"
        hint={offered.length === 0 ? t('form.noBillers') : undefined}
      >
        <option value="" disabled>
          {t('form.chooseBiller')}
        </option>
        {offered.map((biller) => (
          <option key={biller.id} value={biller.id}>
            {biller.name} · {biller.region}
          </option>
        ))}
      </SelectField>
      <TextField
        label={mobile ? t('form.mobileNumber') : t('form.account')}
        value={billAccount}
        onChange={(event) => setBillAccount(event.target.value)}
        error={errors.account}
        hint={mobile ? t('form.mobileHint') : t('form.accountHint')}
        inputMode={mobile ? 'tel' : 'text'}
        autoComplete="off"
        maxLength={40}
        required
        testId="bill-account"
        className="tabular"
      />
      {error && <ProblemAlert error={error} testId="bill-query-error" />}
      <div className="panel__actions">
        <Button type="submit" size="lg" busy={busy} data-testid="bill-query">
          {t('form.query')}
        </Button>
      </div>
    </form>
  );
}

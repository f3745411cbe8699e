import { useTranslation } from 'react-i18next';
import { maskCardNumber } from '../../ui/cardNumber';
import { SelectField } from '../../ui/SelectField';
import { TextField } from '../../ui/TextField';
import { PayeeOption } from './parts';
import type { TransferForm } from './useTransferForm';

/** The payee: a saved one from the picker (shown, not editable), or a new one's name, number and bank. */
export function PayeeFields({ form }: { form: TransferForm }) {
  const { t } = useTranslation('banking');
  const { fields, errors, update, selectedPayee, payees, banks } = form;
  return (
    <fieldset className="fieldset">
      <legend>{t('transfer.payee')}</legend>
      <SelectField
        label={t('transfer.payeePicker')}
        value={fields.payeeId}
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
            <dd>{selectedPayee.bankName}</dd>
          </div>
        </dl>
      ) : (
        <div className="field-row field-row--payee">
          <div data-field="name">
            <TextField
              label={t('transfer.payeeName')}
              value={fields.name}
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
              value={fields.accountNumber}
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
              value={fields.bankCode}
              onChange={(event) => update('bankCode', event.target.value)}
              testId="payee-bank"
              hint={banks.isError ? t('transfer.banksFailed') : undefined}
            >
              {banks.items.map((bank) => (
                <option key={bank.code} value={bank.code}>
                  {bank.name}
                </option>
              ))}
            </SelectField>
          </div>
        </div>
      )}
    </fieldset>
  );
}

import { useTranslation } from 'react-i18next';
import { maskCardNumber } from '../../ui/cardNumber';
import { Money } from '../../ui/Money';
import { toChineseCapitals } from '../../ui/money';
import type { Account, Payee, TransferRequest } from '../bankingApi';
import type { PayeeView } from './useTransferFlow';

/** A paying account in the account picker; accounts that cannot pay are shown but disabled. */
export function AccountOption({ account }: { account: Account }) {
  const { t } = useTranslation('banking');
  return (
    <option value={account.id} disabled={account.status !== 'active'}>
      {maskCardNumber(account.number)} · {t(`types.${account.type}`, { defaultValue: account.type })}
      {account.status !== 'active' ? ` (${t(`statuses.${account.status}`, { defaultValue: account.status })})` : ''}
    </option>
  );
}

/** A saved payee in the payee picker. */
export function PayeeOption({ payee }: { payee: Payee }) {
  return (
    <option value={payee.id}>
      {payee.name} · {maskCardNumber(payee.accountNumber)} · {payee.bankName}
    </option>
  );
}

/** The confirmation's facts: what the customer signs. */
export function TransferSummary({
  request,
  payee,
  account,
  compact = false,
}: {
  request: TransferRequest;
  payee: PayeeView;
  account: Account | undefined;
  compact?: boolean;
}) {
  const { t } = useTranslation('banking');
  return (
    <dl className={compact ? 'summary summary--compact' : 'summary'} data-testid="transfer-summary">
      <div>
        <dt>{t('transfer.from')}</dt>
        <dd className="tabular">{account ? maskCardNumber(account.number) : request.fromAccountId}</dd>
      </div>
      <div>
        <dt>{t('transfer.payeeName')}</dt>
        <dd data-testid="confirm-payee-name">{payee.name}</dd>
      </div>
      <div>
        <dt>{t('transfer.payeeBank')}</dt>
        <dd data-testid="confirm-payee-bank">{payee.bank}</dd>
      </div>
      <div>
        <dt>{t('transfer.payeeAccount')}</dt>
        <dd className="tabular" data-testid="confirm-payee-account">
          {payee.account}
        </dd>
      </div>
      <div className="summary__amount">
        <dt>{t('transfer.amount')}</dt>
        <dd>
          <Money value={request.amount} size={compact ? 'lg' : 'xl'} className="summary__figures" />
          <span className="summary__capitals" data-testid="confirm-amount-capital">
            {toChineseCapitals(request.amount.amount)}
          </span>
        </dd>
      </div>
      <div>
        <dt>{t('transfer.memo')}</dt>
        <dd>{request.memo ?? t('transfer.noMemo')}</dd>
      </div>
    </dl>
  );
}

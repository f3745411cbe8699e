import { useTranslation } from 'react-i18next';
import { Alert } from '../../ui/Alert';
import { maskCardNumber } from '../../ui/cardNumber';
import { Money } from '../../ui/Money';
import { toChineseCapitals } from '../../ui/money';
import type { Account, Payee, Transfer, TransferRequest } from '../bankingApi';
import { bankName } from '../banks';

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
  const { t } = useTranslation('banking');
  return (
    <option value={payee.id}>
      {payee.name} · {maskCardNumber(payee.accountNumber)} ·{' '}
      {payee.bankName ?? bankName(payee.bankCode ?? undefined, t)}
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
  payee: { name: string; account: string; bank: string };
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

/** The outcome of a transfer, in the tone of its status. */
export function TransferResult({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation('banking');
  const tone =
    transfer.status === 'completed'
      ? 'success'
      : transfer.status === 'rejected'
        ? 'error'
        : transfer.status === 'pending'
          ? 'info'
          : 'warning';
  return (
    <Alert tone={tone} title={<span id="result-title">{t(`result.title_${transfer.status}`)}</span>}>
      <p>
        <span data-testid="transfer-status" data-status={transfer.status}>
          {t(`result.status_${transfer.status}`, { defaultValue: transfer.status })}
        </span>
      </p>
      <p>{t(`result.body_${transfer.status}`, { defaultValue: '' })}</p>
    </Alert>
  );
}

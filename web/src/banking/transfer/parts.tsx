import { useTranslation } from 'react-i18next';
import { formatBankDateTime } from '../../ui/bankTime';
import { groupCardNumber, maskCardNumber } from '../../ui/cardNumber';
import { Money } from '../../ui/Money';
import { toChineseCapitals } from '../../ui/money';
import type { Account, Payee, Transfer, TransferRequest } from '../bankingApi';
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

/**
 * The confirmation's facts: what the customer signs. The confirmation shows the payee's number in full,
 * grouped in fours, so that it can be checked against what the customer meant; the result masks it
 * again. The fee is shown though it is zero, and when the money arrives; an empty memo is left out.
 */
export function TransferSummary({
  request,
  payee,
  account,
  transfer,
  compact = false,
  signer,
}: {
  request: TransferRequest;
  payee: PayeeView;
  account: Account | undefined;
  /** On the result: the transfer as the bank recorded it, for its serial number and time. */
  transfer?: Transfer;
  compact?: boolean;
  /** On the confirmation: the security medium that will sign this payment, as the server will ask. */
  signer?: string;
}) {
  const { t } = useTranslation('banking');
  const at = transfer ? (transfer.completedAt ?? transfer.createdAt) : undefined;
  return (
    <dl className={compact ? 'summary summary--compact' : 'summary'} data-testid="transfer-summary">
      {transfer && (
        <div>
          <dt>{t('transfer.serial')}</dt>
          <dd className="tabular" data-testid="transfer-serial">
            {transfer.id}
          </dd>
        </div>
      )}
      {at && (
        <div>
          <dt>{t('transfer.time')}</dt>
          <dd className="tabular" data-testid="transfer-time">
            {formatBankDateTime(at)}
          </dd>
        </div>
      )}
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
          {transfer ? maskCardNumber(payee.account) : groupCardNumber(payee.account)}
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
        <dt>{t('transfer.fee')}</dt>
        <dd data-testid="confirm-fee">
          <Money value={{ amount: '0.00', currency: request.amount.currency }} />
        </dd>
      </div>
      <div>
        <dt>{t('transfer.arrival')}</dt>
        <dd data-testid="confirm-arrival">
          {payee.interbank ? t('transfer.arrivalClearing') : t('transfer.arrivalNow')}
        </dd>
      </div>
      {request.memo && (
        <div>
          <dt>{t('transfer.memo')}</dt>
          <dd>{request.memo}</dd>
        </div>
      )}
      {signer && (
        <div>
          <dt>{t('transfer.signer')}</dt>
          <dd data-testid="confirm-signer">{signer}</dd>
        </div>
      )}
    </dl>
  );
}

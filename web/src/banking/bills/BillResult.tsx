import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import type { Account } from '../bankingApi';
import { BillSummary } from './BillStep';
import { type Biller, type BillPayment, billReceiptUrl } from './billsApi';

/** The outcome in the tone of its status, the facts as recorded, the receipt, and the ways on. */
export function BillResult({
  biller,
  payment,
  account,
  accountsPath = '/accounts',
  onAgain,
}: {
  biller: Biller;
  payment: BillPayment;
  account: Account | undefined;
  /** Where "accounts overview" leads: the web's overview, or the phone's home. */
  accountsPath?: string;
  onAgain: () => void;
}) {
  const { t } = useTranslation('bills');
  const completed = payment.status === 'completed';
  return (
    <section className="panel" aria-labelledby="bill-result-title">
      <Alert tone={completed ? 'success' : 'error'} testId="bill-status">
        <span id="bill-result-title">
          {completed ? t('result.completed') : t(`result.${payment.status === 'expired' ? 'expired' : 'pending'}`)}
        </span>
      </Alert>
      <BillSummary biller={biller} payment={payment} account={account} recorded />
      <div className="panel__actions">
        {completed && (
          <a
            className="btn btn--secondary btn--md"
            href={billReceiptUrl(payment.id)}
            target="_blank"
            rel="noopener"
            data-testid="bill-receipt-link"
          >
            <span className="btn__label">{t('result.receipt')}</span>
          </a>
        )}
        <Button variant="secondary" onClick={onAgain} data-testid="bill-again">
          {t('result.again')}
        </Button>
        <Link className="btn btn--primary btn--md" to={accountsPath}>
          <span className="btn__label">{t('nav.overview', { ns: 'banking' })}</span>
        </Link>
      </div>
    </section>
  );
}

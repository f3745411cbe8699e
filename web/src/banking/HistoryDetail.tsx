import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBankDateTime } from '../ui/bankTime';
import { Button } from '../ui/Button';
import { Money } from '../ui/Money';
import { isNegative, toChineseCapitals } from '../ui/money';
import { type Posting, receiptUrl } from './bankingApi';

/**
 * One entry of the history in full, in a modal dialog: the amount in figures and in Chinese capitals,
 * the other party, the memo, the serial number, the Beijing time to the second, the balance after it,
 * and for a transfer the customer paid, its own receipt. `posting` undefined closes the dialog.
 */
export function HistoryDetail({ posting, onClose }: { posting: Posting | undefined; onClose: () => void }) {
  const { t } = useTranslation('banking');
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (posting && !dialog.open) dialog.showModal();
    if (!posting && dialog.open) dialog.close();
  }, [posting]);

  const debit = posting ? isNegative(posting.amount.amount) : false;
  const unsigned = posting?.amount.amount.replace(/^[-+\u2212]/, '') ?? '';
  return (
    <dialog
      ref={dialogRef}
      className="detail-dialog"
      aria-labelledby="history-detail-title"
      data-testid="history-detail"
      onClose={onClose}
    >
      {posting && (
        <>
          <div className="detail-dialog__head">
            <h2 id="history-detail-title">{t('history.detail.title')}</h2>
            <span className={`badge ${debit ? 'badge--out' : 'badge--in'}`}>
              {debit ? t('history.detail.out') : t('history.detail.in')}
            </span>
          </div>
          <dl className="summary">
            <div className="summary__amount">
              <dt>{t('history.detail.amount')}</dt>
              <dd>
                <Money
                  value={posting.amount}
                  sign="always"
                  size="xl"
                  className={debit ? 'summary__figures' : 'summary__figures summary__figures--in'}
                />
                <span className="summary__capitals" data-testid="detail-capitals">
                  {toChineseCapitals(unsigned)}
                </span>
              </dd>
            </div>
            <div>
              <dt>{t('history.detail.counterparty')}</dt>
              <dd data-testid="detail-counterparty">{posting.counterparty || t('history.detail.none')}</dd>
            </div>
            <div>
              <dt>{t('history.detail.memo')}</dt>
              <dd data-testid="detail-memo">{posting.memo || t('history.detail.none')}</dd>
            </div>
            <div>
              <dt>{t('history.detail.serial')}</dt>
              <dd className="tabular detail-dialog__serial" data-testid="detail-serial">
                {posting.serial}
              </dd>
            </div>
            <div>
              <dt>{t('history.detail.time')}</dt>
              <dd className="tabular" data-testid="detail-time">
                {formatBankDateTime(posting.postedAt)} ({t('history.detail.timeZone')})
              </dd>
            </div>
            <div>
              <dt>{t('history.detail.balanceAfter')}</dt>
              <dd data-testid="detail-balance">
                <Money value={posting.balanceAfter} />
              </dd>
            </div>
          </dl>
          <div className="detail-dialog__actions">
            {posting.transferId && (
              <a
                className="btn btn--secondary btn--md"
                href={receiptUrl(posting.transferId)}
                download
                data-testid="detail-receipt"
              >
                <span className="btn__label">{t('history.detail.receipt')}</span>
              </a>
            )}
            <Button onClick={() => dialogRef.current?.close()} data-testid="detail-close" autoFocus>
              {t('history.detail.close')}
            </Button>
          </div>
        </>
      )}
    </dialog>
  );
}

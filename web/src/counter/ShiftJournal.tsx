import { useTranslation } from 'react-i18next';
import { Money } from '../ui/Money';
import { openPdf, receiptUrl } from './counterApi';
import type { JournalEntry } from './operations/OperationPanel';
import { formatCounterTime } from './time';

/** What this teller did since signing in on this terminal: time, operation, customer, amount, outcome, receipt. */
export function ShiftJournal({ entries }: { entries: JournalEntry[] }) {
  const { t } = useTranslation('counter');
  return (
    <section className="c-panel" aria-labelledby="c-today-title">
      <h2 id="c-today-title" className="c-panel__title">
        {t('shell.today')}
      </h2>
      <table className="c-table">
        <thead>
          <tr>
            <th scope="col">{t('shell.time')}</th>
            <th scope="col">{t('shell.business')}</th>
            <th scope="col">{t('shell.customer')}</th>
            <th scope="col" className="num">
              {t('shell.amount')}
            </th>
            <th scope="col">{t('shell.status')}</th>
            <th scope="col">{t('shell.receipt')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td colSpan={6} className="c-table__empty">
                {t('shell.todayEmpty')}
              </td>
            </tr>
          ) : (
            entries.map((entry) => (
              <tr key={`${entry.at.getTime()}-${entry.operation}`} data-testid="journal-row">
                <td className="tabular">{formatCounterTime(entry.at)}</td>
                <td>{entry.title ?? t(`ops.${entry.operation}`)}</td>
                <td>{entry.customerName ?? ''}</td>
                <td className="num">{entry.amount && <Money value={{ amount: entry.amount, currency: 'CNY' }} />}</td>
                <td>
                  {entry.approvalId ? (
                    <span className="c-badge c-badge--warn">{t('form.approvalTitle')}</span>
                  ) : (
                    <span className="c-badge c-badge--ok">{t('form.doneTitle')}</span>
                  )}
                </td>
                <td>
                  {entry.operationId && !entry.approvalId && (
                    <button
                      type="button"
                      className="c-link"
                      onClick={() => openPdf(receiptUrl(entry.operationId ?? ''))}
                    >
                      {t('form.receipt')}
                    </button>
                  )}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}

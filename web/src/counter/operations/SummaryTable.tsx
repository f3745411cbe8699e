import { useTranslation } from 'react-i18next';
import { formatMoney, toChineseCapitals } from '../../ui/money';
import type { SummaryRow } from './types';

/**
 * The lines a teller reads back to the customer: labels left, values right; an amount in figures and in
 * Chinese capitals (DESIGN.md, "Amounts"), so a slip of one zero is heard at once.
 */
export function SummaryTable({ rows, testId }: { rows: SummaryRow[]; testId?: string }) {
  const { t } = useTranslation('counter');
  return (
    <dl className="c-summary" data-testid={testId}>
      {rows.map((row) => (
        <div key={row.label} className={row.large ? 'c-summary__row c-summary__row--large' : 'c-summary__row'}>
          <dt>{row.label}</dt>
          {row.amount !== undefined ? (
            <dd data-testid={row.testId}>
              <span className="c-summary__amount tabular">{formatMoney({ amount: row.amount, currency: 'CNY' })}</span>
              <span className="c-summary__capitals" data-testid={row.testId ? `${row.testId}-capitals` : undefined}>
                {t('form.amountCapitals')}: {toChineseCapitals(row.amount)}
              </span>
            </dd>
          ) : (
            <dd className="tabular" data-testid={row.testId}>
              {row.value}
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}

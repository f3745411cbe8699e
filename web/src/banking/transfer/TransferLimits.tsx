import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import { formatMoney } from '../../ui/money';
import { leftOf, UseBar } from '../LimitUse';
import { getLimits } from '../security/mediaApi';

/**
 * The limits beside the transfer form, before they bite (issue 18 item 3): per payment and per day,
 * with today's use as a bar; a static-password customer reads the cumulative ¥300, what is left of it,
 * and how to raise it. Nothing is shown while the limits load or if they cannot be read: the server
 * checks them anyway.
 */
export function TransferLimits() {
  const { t } = useTranslation('banking');
  const { data } = useQuery({ queryKey: queryKeys.limits, queryFn: getLimits });
  if (!data) return null;
  return (
    <section className="transfer-limits" aria-label={t('transfer.limits.title')} data-testid="transfer-limits">
      {data.total && data.usedTotal ? (
        <>
          <p className="transfer-limits__static" data-testid="transfer-limits-static">
            {t('transfer.limits.static', {
              total: formatMoney(data.total),
              left: formatMoney(leftOf(data.usedTotal, data.total)),
            })}
          </p>
          <UseBar
            id="transfer-limits-total"
            label={t('security.limits.totalBar')}
            used={data.usedTotal}
            limit={data.total}
          />
        </>
      ) : (
        <>
          <p className="transfer-limits__figures tabular">
            <span data-testid="transfer-limit-per-payment">
              {t('transfer.limits.perPayment', { amount: formatMoney(data.perPayment) })}
            </span>
            <span>{t('transfer.limits.daily', { amount: formatMoney(data.daily) })}</span>
          </p>
          <UseBar
            id="transfer-limits-today"
            label={t('security.limits.todayBar')}
            used={data.usedToday}
            limit={data.daily}
          />
        </>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import { Money } from '../../ui/Money';
import { formatMoney } from '../../ui/money';
import { leftOf, UseBar } from '../LimitUse';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { Spinner } from '../../ui/Spinner';
import { getLimits } from './mediaApi';

/**
 * The payment limits of the customer's tier and today's use of them, with a bar (DESIGN.md, "Limits
 * in sight"); a static-password customer also sees the cumulative limit and its use.
 */
export function LimitsSection() {
  const { t } = useTranslation('banking');
  const limits = useQuery({ queryKey: queryKeys.limits, queryFn: getLimits });
  const data = limits.data;
  return (
    <section className="panel" aria-labelledby="limits-title" data-testid="limits-section">
      <h2 id="limits-title" className="section-title">
        {t('security.limits.title')}
      </h2>
      <p className="section-lead">{t('security.limits.lead')}</p>
      {limits.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
      {limits.isError && <ProblemAlert error={limits.error} testId="limits-error" />}
      {data && (
        <>
          <dl className="limits">
            <div>
              <dt>{t('security.limits.perPayment')}</dt>
              <dd data-testid="limit-per-payment">
                <Money value={data.perPayment} />
              </dd>
            </div>
            <div>
              <dt>{t('security.limits.daily')}</dt>
              <dd data-testid="limit-daily">
                <Money value={data.daily} />
              </dd>
            </div>
            <div>
              <dt>{t('security.limits.usedToday')}</dt>
              <dd data-testid="limit-used-today">
                <Money value={data.usedToday} />
              </dd>
            </div>
            {data.total && data.usedTotal && (
              <>
                <div>
                  <dt>{t('security.limits.total')}</dt>
                  <dd data-testid="limit-total">
                    <Money value={data.total} />
                  </dd>
                </div>
                <div>
                  <dt>{t('security.limits.usedTotal')}</dt>
                  <dd>
                    <Money value={data.usedTotal} />
                  </dd>
                </div>
              </>
            )}
          </dl>
          <UseBar id="limits-today" label={t('security.limits.todayBar')} used={data.usedToday} limit={data.daily} />
          <p className="limits__left" data-testid="limit-left-today">
            {t('security.limits.leftToday', { amount: formatMoney(leftOf(data.usedToday, data.daily)) })}
          </p>
          {data.total && data.usedTotal && (
            <UseBar id="limits-total" label={t('security.limits.totalBar')} used={data.usedTotal} limit={data.total} />
          )}
          {(data.own.perPayment || data.own.daily) && <p className="limits__own">{t('security.limits.own')}</p>}
        </>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatMoney as fenToAmount } from '../../../../server/src/platform/money.ts';
import { queryKeys } from '../../api/queryKeys';
import { Money } from '../../ui/Money';
import { formatMoney, type Money as MoneyValue, toFen } from '../../ui/money';
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

/** What is left of `limit` after `used`, never below zero, reckoned in integer fen by the one money module. */
function leftOf(used: MoneyValue, limit: MoneyValue): MoneyValue {
  const fen = Math.max(0, (toFen(limit.amount) ?? 0) - (toFen(used.amount) ?? 0));
  return { amount: fenToAmount(fen), currency: limit.currency };
}

type BarProps = { id: string; label: string; used: MoneyValue; limit: MoneyValue };

/**
 * A bar of how much of a limit is used, as a native meter: the label names it, the value text reads the
 * two amounts (a percentage alone would hide what is left), and the figures stay visible above it. The
 * colour follows how full it is, never alone: the amounts say it too.
 */
function UseBar({ id, label, used, limit }: BarProps) {
  const { t } = useTranslation('banking');
  const usedFen = toFen(used.amount) ?? 0;
  const limitFen = toFen(limit.amount) ?? 0;
  const percent = limitFen > 0 ? Math.min(100, (usedFen / limitFen) * 100) : 0;
  const text = t('security.limits.barText', { used: formatMoney(used), limit: formatMoney(limit) });
  const tone = percent >= 90 ? 'high' : percent >= 70 ? 'mid' : 'low';
  return (
    <div className="use-bar" data-testid={id}>
      <p id={`${id}-label`} className="use-bar__label">
        <span>{label}</span>
        <span className="tabular">{text}</span>
      </p>
      <meter
        className={`use-bar__meter use-bar__meter--${tone}`}
        aria-labelledby={`${id}-label`}
        aria-valuetext={text}
        min={0}
        max={limitFen}
        value={Math.min(usedFen, limitFen)}
      >
        {text}
      </meter>
    </div>
  );
}

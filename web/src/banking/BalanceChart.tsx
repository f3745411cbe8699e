import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { fenToMoney, formatMoney, toFen } from '../ui/money';
import type { BalancePoint } from './bankingApi';

const WIDTH = 320;
const HEIGHT = 88;
const PAD_X = 4;
const PAD_Y = 8;

/**
 * A small line chart of daily balances, drawn as inline SVG (no chart library: the bundle stays small).
 * The picture is decorative for screen readers; its label says the same in words (start, end, low, high).
 */
export function BalanceChart({ points }: { points: BalancePoint[] }) {
  const { t } = useTranslation('banking');
  const gradientId = `g${useId().replace(/:/g, '')}`;
  const values = points.map((point) => ({ date: point.date, fen: toFen(point.balance.amount) }));
  const usable = values.filter((value): value is { date: string; fen: number } => value.fen !== undefined);
  const first = points[0];
  const last = points[points.length - 1];
  if (usable.length < 2 || !first || !last) {
    return <p className="chart__empty">{t('overview.chartEmpty')}</p>;
  }

  const currency = first.balance.currency;
  let low = usable[0]?.fen ?? 0;
  let high = low;
  for (const { fen } of usable) {
    if (fen < low) low = fen;
    if (fen > high) high = fen;
  }
  const span = high - low || 1;
  const x = (index: number) => PAD_X + (index / (usable.length - 1)) * (WIDTH - 2 * PAD_X);
  const y = (fen: number) => (high === low ? HEIGHT / 2 : PAD_Y + ((high - fen) / span) * (HEIGHT - 2 * PAD_Y));
  const line = usable.map(
    (value, index) => `${index === 0 ? 'M' : 'L'}${x(index).toFixed(1)},${y(value.fen).toFixed(1)}`,
  );
  const area = `${line.join(' ')} L${x(usable.length - 1).toFixed(1)},${HEIGHT} L${x(0).toFixed(1)},${HEIGHT} Z`;
  const asMoney = (fen: number) => formatMoney(fenToMoney(fen, currency));
  const lastPoint = usable[usable.length - 1] ?? usable[0];
  const label = t('overview.chartLabel', {
    from: first.date,
    to: last.date,
    start: formatMoney(first.balance),
    end: formatMoney(last.balance),
    low: asMoney(low),
    high: asMoney(high),
  });

  return (
    <figure className="chart" data-testid="balance-chart">
      <svg
        className="chart__svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={label}
      >
        <defs>
          <linearGradient id={gradientId} x1="0" x2="0" y1="0" y2="1">
            <stop offset="0%" stopColor="var(--red)" stopOpacity="0.18" />
            <stop offset="100%" stopColor="var(--red)" stopOpacity="0" />
          </linearGradient>
        </defs>
        <path d={area} fill={`url(#${gradientId})`} stroke="none" />
        <path
          d={line.join(' ')}
          fill="none"
          stroke="var(--red)"
          strokeWidth="2"
          strokeLinejoin="round"
          vectorEffect="non-scaling-stroke"
        />
        {lastPoint && (
          <circle
            cx={x(usable.length - 1)}
            cy={y(lastPoint.fen)}
            r="3"
            fill="var(--red)"
            vectorEffect="non-scaling-stroke"
          />
        )}
      </svg>
      <figcaption className="chart__caption tabular" aria-hidden="true">
        <span>{first.date}</span>
        <span>{t('overview.chartRange', { low: asMoney(low), high: asMoney(high) })}</span>
        <span>{last.date}</span>
      </figcaption>
    </figure>
  );
}

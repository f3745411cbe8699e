import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { fenToMoney, formatMoney, toFen } from '../ui/money';
import type { BalancePoint } from './bankingApi';

const WIDTH = 320;
const HEIGHT = 88;
const PAD_X = 4;
const PAD_Y = 8;

/** `2026-12-05` → `12-05`: the caption's dates (the year is in the chart's label and title). */
const shortDate = (date: string) => date.slice(5);

/**
 * A small line chart of daily balances, drawn as inline SVG (no chart library: the bundle stays small).
 * The server starts the days on the account's opening date, so an account opened today is one day: drawn
 * as a level line, not "no data". The caption is one line (first day, low and high, last day); the
 * picture is decorative for screen readers and its label says the same in words.
 */
export function BalanceChart({ points }: { points: BalancePoint[] }) {
  const { t } = useTranslation('banking');
  const gradientId = `g${useId().replace(/:/g, '')}`;
  const values = points.map((point) => ({ date: point.date, fen: toFen(point.balance.amount) }));
  const known = values.filter((value): value is { date: string; fen: number } => value.fen !== undefined);
  const first = points[0];
  const last = points[points.length - 1];
  if (known.length === 0 || !first || !last) {
    return <p className="chart__empty">{t('overview.chartEmpty')}</p>;
  }
  const usable = known.length === 1 ? [known[0]!, known[0]!] : known;

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
      <figcaption className="chart__caption tabular" aria-hidden="true" data-testid="chart-caption">
        <span className="chart__date" title={first.date} data-testid="chart-start">
          {shortDate(first.date)}
        </span>
        <span className="chart__range">{t('overview.chartRange', { low: asMoney(low), high: asMoney(high) })}</span>
        <span className="chart__date" title={last.date}>
          {shortDate(last.date)}
        </span>
      </figcaption>
    </figure>
  );
}

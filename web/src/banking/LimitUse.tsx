import { useTranslation } from 'react-i18next';
import { formatMoney as fenToAmount } from '../../../server/src/platform/money.ts';
import { formatMoney, type Money as MoneyValue, toFen } from '../ui/money';

/** What is left of `limit` after `used`, never below zero, reckoned in integer fen by the one money module. */
export function leftOf(used: MoneyValue, limit: MoneyValue): MoneyValue {
  const fen = Math.max(0, (toFen(limit.amount) ?? 0) - (toFen(used.amount) ?? 0));
  return { amount: fenToAmount(fen), currency: limit.currency };
}

type BarProps = { id: string; label: string; used: MoneyValue; limit: MoneyValue };

/**
 * A bar of how much of a limit is used, as a native meter: the label names it, the value text reads the
 * two amounts (a percentage alone would hide what is left), and the figures stay visible above it. The
 * colour follows how full it is, never alone: the amounts say it too.
 */
export function UseBar({ id, label, used, limit }: BarProps) {
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

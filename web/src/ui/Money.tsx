import { formatMoney, isNegative, type Money as MoneyValue } from './money';

type Props = {
  value: MoneyValue;
  /** `always` shows `+` on credits; debits always show the minus sign. */
  sign?: 'auto' | 'always';
  /** Colours credits and debits (in addition to the sign, never instead of it). */
  tone?: boolean;
  className?: string;
  size?: 'sm' | 'md' | 'lg' | 'xl';
};

/** An amount as `¥ 12,345.67` in tabular figures. */
export function Money({ value, sign = 'auto', tone = false, className, size = 'md' }: Props) {
  const negative = isNegative(value.amount);
  const classes = ['money', `money--${size}`, tone && (negative ? 'money--debit' : 'money--credit'), className]
    .filter(Boolean)
    .join(' ');
  return (
    <span className={classes} data-amount={value.amount} data-currency={value.currency}>
      {formatMoney(value, { sign })}
    </span>
  );
}

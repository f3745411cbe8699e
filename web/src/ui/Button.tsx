import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Spinner } from './Spinner';

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'ghost' | 'quiet';
  size?: 'md' | 'lg' | 'sm';
  block?: boolean;
  /** Shows a spinner, keeps the width, and blocks a second click while a request runs. */
  busy?: boolean;
  icon?: ReactNode;
};

/** The one button. `primary` is lacquer red and appears once per view. */
export function Button({
  variant = 'primary',
  size = 'md',
  block = false,
  busy = false,
  icon,
  className,
  children,
  disabled,
  type = 'button',
  ...rest
}: Props) {
  const classes = ['btn', `btn--${variant}`, `btn--${size}`, block && 'btn--block', busy && 'btn--busy', className]
    .filter(Boolean)
    .join(' ');
  return (
    <button type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <Spinner size={16} /> : icon}
      <span className="btn__label">{children}</span>
    </button>
  );
}

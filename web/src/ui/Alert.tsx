import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorIcon, InfoIcon, SuccessIcon, WarningIcon } from './icons';

export type AlertTone = 'info' | 'success' | 'warning' | 'error';

type Props = {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  testId?: string;
  className?: string;
  /** Errors and warnings interrupt a screen reader; info and success wait their turn. */
  live?: boolean;
};

const ICONS = { info: InfoIcon, success: SuccessIcon, warning: WarningIcon, error: ErrorIcon };

/**
 * A message box whose tone is told three ways: an icon, a hidden word for screen readers, and
 * colour. Never colour alone (DESIGN.md, "Identity").
 */
export function Alert({ tone = 'info', title, children, testId, className, live = true }: Props) {
  const { t } = useTranslation();
  const Icon = ICONS[tone];
  const urgent = tone === 'error' || tone === 'warning';
  return (
    <div
      className={['alert', `alert--${tone}`, className].filter(Boolean).join(' ')}
      role={live ? (urgent ? 'alert' : 'status') : undefined}
      data-testid={testId}
    >
      <Icon className="alert__icon" size={20} />
      <div className="alert__body">
        <span className="visually-hidden">{t(`alert.${tone}`)}: </span>
        {title && <p className="alert__title">{title}</p>}
        {children && <div className="alert__text">{children}</div>}
      </div>
    </div>
  );
}

import { useTranslation } from 'react-i18next';

/** Which colour a status wears: green for normal, amber for waiting, crimson for stopped, grey for gone. */
const TONES: Record<string, 'ok' | 'warn' | 'bad' | 'off'> = {
  active: 'ok',
  not_activated: 'warn',
  must_change: 'warn',
  issued: 'warn',
  pending: 'warn',
  none: 'off',
  locked: 'bad',
  suspended: 'bad',
  frozen: 'bad',
  under_investigation: 'bad',
  lost: 'bad',
  closed: 'off',
  revoked: 'off',
  expired: 'off',
};

type Props = {
  status: string;
  group: 'customerStatus' | 'accountStatus' | 'ebankingStatus' | 'mediaStatus';
  testId?: string;
};

/** A status in words on a coloured badge (the word carries the meaning; colour only helps the eye). */
export function StatusBadge({ status, group, testId }: Props) {
  const { t } = useTranslation('counter');
  return (
    <span className={`c-badge c-badge--${TONES[status] ?? 'off'}`} data-status={status} data-testid={testId}>
      {t(`${group}.${status}`, { defaultValue: status })}
    </span>
  );
}

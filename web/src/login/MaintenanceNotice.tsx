import { useTranslation } from 'react-i18next';
import type { Session } from '../api/client';
import { Alert } from '../ui/Alert';

type Props = { session: Session | undefined };

function formatTime(iso: string | undefined, language: string): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', {
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * The maintenance announcement above the login form, shown when the session carries an active one
 * (`maintenance: {message, startsAt?, endsAt?}`); renders nothing otherwise.
 */
export function MaintenanceNotice({ session }: Props) {
  const { t, i18n } = useTranslation();
  const notice = session?.maintenance;
  const message = notice?.message ?? notice?.text;
  if (!notice || notice.active === false || !message) return null;
  const from = formatTime(notice.startsAt, i18n.language);
  const to = formatTime(notice.endsAt, i18n.language);
  return (
    <Alert tone="warning" title={t('login.maintenanceTitle')} testId="maintenance-notice" className="maintenance">
      <p>{message}</p>
      {(from || to) && (
        <p className="tabular">
          {from}
          {from && to ? ' – ' : ''}
          {to}
        </p>
      )}
    </Alert>
  );
}

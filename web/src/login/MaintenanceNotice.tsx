import { useTranslation } from 'react-i18next';
import type { Session } from '../api/client';
import { Alert } from '../ui/Alert';
import { BANK_TIME_ZONE } from '../ui/bankTime';

type Props = { session: Session | undefined };

function formatTime(iso: string | null, language: string): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: BANK_TIME_ZONE,
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * The maintenance announcement above the login form, shown when the session carries one
 * (`maintenance: {messageZh, messageEn, until}`): the text in the page's language and, when the operator
 * set an end, until when; renders nothing otherwise.
 */
export function MaintenanceNotice({ session }: Props) {
  const { t, i18n } = useTranslation();
  const notice = session?.maintenance;
  if (!notice) return null;
  const english = i18n.language === 'en';
  const message = (english ? notice.messageEn : notice.messageZh) || notice.messageZh || notice.messageEn;
  const until = formatTime(notice.until, i18n.language);
  return (
    <Alert tone="warning" title={t('login.maintenanceTitle')} testId="maintenance-notice" className="maintenance">
      {message && <p>{message}</p>}
      {until && <p className="tabular">{t('login.maintenanceUntil', { until })}</p>}
    </Alert>
  );
}

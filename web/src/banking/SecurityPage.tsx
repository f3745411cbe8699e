import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { DevicesSection, LoginHistorySection, SessionsSection } from './security/ActivitySections';
import { LoginNameSection } from './security/LoginNameSection';
import { PasswordSection } from './security/PasswordSection';
import { ReservedMessageSection } from './security/ReservedMessageSection';

/** `/security`: password, login name, reserved message, sessions, trusted devices and login history. */
export function SecurityPage() {
  const { t } = useTranslation('banking');
  useDocumentTitle(`${t('security.title')} · ${t('brand.name', { ns: 'common' })}`);
  return (
    <>
      <h1 className="app-page__title">{t('security.title')}</h1>
      <div className="security-grid">
        <PasswordSection />
        <div className="security-grid__side">
          <LoginNameSection />
          <ReservedMessageSection />
        </div>
      </div>
      <SessionsSection />
      <DevicesSection />
      <LoginHistorySection />
    </>
  );
}

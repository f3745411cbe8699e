import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { DevicesSection, LoginHistorySection, SessionsSection } from './security/ActivitySections';
import { LimitsSection } from './security/LimitsSection';
import { LoginNameSection } from './security/LoginNameSection';
import { MediaSection } from './security/MediaSection';
import { PasswordSection } from './security/PasswordSection';
import { ReservedMessageSection } from './security/ReservedMessageSection';
import { TotpSection } from './security/TotpSection';
import { UShieldSection } from './security/UShieldSection';

/**
 * `/security`: the tier, security media and limits (with the authenticator-app binding), password, login
 * name, reserved message, sessions, trusted devices and login history.
 */
export function SecurityPage() {
  const { t } = useTranslation('banking');
  useDocumentTitle(`${t('security.title')} · ${t('brand.name', { ns: 'common' })}`);
  return (
    <>
      <h1 className="app-page__title">{t('security.title')}</h1>
      <div className="security-grid">
        <MediaSection />
        <div className="security-grid__side">
          <LimitsSection />
          <UShieldSection />
          <TotpSection />
        </div>
      </div>
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

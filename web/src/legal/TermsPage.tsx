import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { AgreementText } from './AgreementText';
import './legal.css';
import './messages';

/** The service agreement as a public page (the footer's "服务协议"): the same text registration shows. */
export function TermsPage() {
  const { t } = useTranslation('legal');
  const { t: tc } = useTranslation();
  useDocumentTitle(`${t('terms.title')} · ${tc('brand.name')}`);
  return (
    <div className="legal" data-testid="terms-page">
      <p className="legal__lead">{t('terms.lead')}</p>
      <AgreementText layout="page" headingLevel={1} />
      <p className="legal__back">
        <Link to="/">{t('back')}</Link>
      </p>
    </div>
  );
}

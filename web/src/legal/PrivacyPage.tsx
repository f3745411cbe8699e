import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/useDocumentTitle';
import './legal.css';
import './messages';

type Section = { title: string; paragraphs: string[] };

/** The privacy policy: a plain text in both languages, with its version and the date it took effect. */
export function PrivacyPage() {
  const { t } = useTranslation('legal');
  const { t: tc } = useTranslation();
  useDocumentTitle(`${t('privacy.title')} · ${tc('brand.name')}`);
  const sections = t('privacy.sections', { returnObjects: true }) as Section[];
  return (
    <article className="legal" data-testid="privacy-page" aria-labelledby="privacy-title">
      <header className="legal__head">
        <h1 id="privacy-title" className="legal__title">
          {t('privacy.title')}
        </h1>
        <p className="legal__version tabular" data-testid="privacy-version">
          {t('updated', { version: t('privacy.version'), effective: t('privacy.effective') })}
        </p>
      </header>
      <p className="legal__lead">{t('privacy.lead')}</p>
      {sections.map((section) => (
        <section key={section.title} className="legal__section">
          <h2>{section.title}</h2>
          {section.paragraphs.map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
        </section>
      ))}
      <p className="legal__back">
        <Link to="/">{t('back')}</Link>
      </p>
    </article>
  );
}

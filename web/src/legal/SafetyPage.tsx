import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../app/useDocumentTitle';
import './legal.css';
import './messages';

type Item = { title: string; body: string };

/** The footer's "安全提示": the habits that keep a customer safe, for anyone, signed in or not. */
export function SafetyPage() {
  const { t } = useTranslation('legal');
  const { t: tc } = useTranslation();
  useDocumentTitle(`${t('safety.title')} · ${tc('brand.name')}`);
  const items = t('safety.items', { returnObjects: true }) as Item[];
  return (
    <article className="legal" data-testid="safety-page" aria-labelledby="safety-title">
      <header className="legal__head">
        <h1 id="safety-title" className="legal__title">
          {t('safety.title')}
        </h1>
      </header>
      <p className="legal__lead">{t('safety.lead')}</p>
      <ol className="legal__tips">
        {items.map((item) => (
          <li key={item.title}>
            <h2>{item.title}</h2>
            <p>{item.body}</p>
          </li>
        ))}
      </ol>
      <p className="legal__back">
        <Link to="/forgot-password">{t('safety.forgot')}</Link>
        <Link to="/">{t('back')}</Link>
      </p>
    </article>
  );
}

import { useTranslation } from 'react-i18next';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Spinner } from '../ui/Spinner';
import { useAgreement, useAgreementText } from './agreement';
import './legal.css';
import './messages';

type Props = {
  /** `framed`: in a scrolling box that takes the keyboard (the registration steps); `page`: as a document. */
  layout: 'framed' | 'page';
  /** The heading level of the agreement's title on this page. */
  headingLevel?: 1 | 2;
};

/**
 * The service agreement in full, in the page's language, with its version: the text is the server's, so
 * what a customer reads is what the registration records.
 */
export function AgreementText({ layout, headingLevel = 2 }: Props) {
  const { t } = useTranslation('legal');
  const { t: tc } = useTranslation();
  const agreement = useAgreement();
  const text = useAgreementText(agreement.data);
  const Heading = headingLevel === 1 ? 'h1' : 'h2';

  if (agreement.isPending) {
    return (
      <p className="agreement__loading" aria-live="polite">
        <Spinner size={16} /> {t('terms.loading')}
      </p>
    );
  }
  if (!text || !agreement.data) {
    return (
      <Alert tone="error" testId="agreement-failed">
        <p>{t('terms.failed')}</p>
        <Button variant="secondary" size="sm" onClick={() => void agreement.refetch()}>
          {tc('common.retry')}
        </Button>
      </Alert>
    );
  }
  return (
    <article className={`agreement agreement--${layout}`} data-testid="agreement" aria-labelledby="agreement-title">
      <header className="agreement__head">
        <Heading id="agreement-title" className="agreement__title">
          {text.title}
        </Heading>
        <p className="agreement__version tabular" data-testid="agreement-version">
          {t('terms.version', { version: agreement.data.version })}
        </p>
      </header>
      {layout === 'framed' ? (
        // A scrolling region must be reachable by the keyboard (WCAG 2.1.1), so it takes focus and is named.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box of text is scrolled with the keys.
        <section className="agreement__body" tabIndex={0} aria-label={t('terms.region')}>
          <Paragraphs paragraphs={text.paragraphs} />
        </section>
      ) : (
        <div className="agreement__body">
          <Paragraphs paragraphs={text.paragraphs} />
        </div>
      )}
    </article>
  );
}

/** The agreement's paragraphs: the server's fixed text, whose order is their identity. */
function Paragraphs({ paragraphs }: { paragraphs: string[] }) {
  return paragraphs.map((paragraph, index) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed text, never reordered.
    <p key={index}>{paragraph}</p>
  ));
}

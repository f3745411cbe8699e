import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/ApiError';
import { Alert } from './Alert';

type Props = { error: unknown; testId?: string; className?: string };

/** The words for an error: the server's `detail` when it sent one, else our own for client-side failures. */
export function useProblemText() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      if (error.detail) return error.detail;
      if (error.code === 'client.network') return t('errors.network');
      if (error.code === 'client.unavailable' || error.status >= 500) {
        return t('errors.unavailable', { status: error.status });
      }
      return t('errors.badResponse', { status: error.status });
    }
    if (error instanceof Error && error.message) return error.message;
    return t('errors.network');
  };
}

/**
 * Shows an API failure the way DESIGN.md asks: the problem's `detail` in the user's language, and the
 * reference id with the hotline so that a customer can get help. Never a raw code alone.
 */
export function ProblemAlert({ error, testId, className }: Props) {
  const { t } = useTranslation();
  const text = useProblemText();
  const reference = error instanceof ApiError ? error.instance : undefined;
  const serverFault = error instanceof ApiError && error.status >= 500;
  return (
    <Alert tone="error" testId={testId} className={className}>
      <p className="problem__detail">{text(error)}</p>
      {reference && (
        <p className="problem__reference">
          {t('errors.reference')}: <code className="problem__code">{reference}</code>
        </p>
      )}
      {reference ? (
        <p className="problem__next">{t('errors.hotlineHint', { hotline: t('hotline.number') })}</p>
      ) : (
        serverFault && <p className="problem__next">{t('errors.hotlineOnly', { hotline: t('hotline.number') })}</p>
      )}
    </Alert>
  );
}

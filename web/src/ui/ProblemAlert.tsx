import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/ApiError';
import { Alert } from './Alert';

type Props = { error: unknown; testId?: string; className?: string; staff?: boolean };

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

/** A fault on the way or at the bank (5xx, no answer) rather than an answer about the request itself. */
function isFault(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
}

/**
 * Shows an API failure the way DESIGN.md asks, sized to what happened (issue 18 item 7): the problem's
 * `detail` in the user's language; for a real fault also the reference id and, for customers, the
 * hotline. A refusal of the request itself (a wrong code, a limit) is only its sentence: a reference
 * number and a phone number there would alarm without helping. Staff (`staff`) never get the
 * customer hotline.
 */
export function ProblemAlert({ error, testId, className, staff = false }: Props) {
  const { t } = useTranslation();
  const text = useProblemText();
  const fault = isFault(error);
  const reference = fault && error instanceof ApiError ? error.instance : undefined;
  return (
    <Alert tone="error" testId={testId} className={className}>
      <p className="problem__detail">{text(error)}</p>
      {reference && (
        <p className="problem__reference">
          {t('errors.reference')}: <code className="problem__code">{reference}</code>
        </p>
      )}
      {fault && !staff && (
        <p className="problem__next">
          {reference
            ? t('errors.hotlineHint', { hotline: t('hotline.number') })
            : t('errors.hotlineOnly', { hotline: t('hotline.number') })}
        </p>
      )}
    </Alert>
  );
}

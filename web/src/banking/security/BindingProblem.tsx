import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/ApiError';
import { Alert } from '../../ui/Alert';
import { ProblemAlert, useProblemText } from '../../ui/ProblemAlert';

type Props = { error: unknown; testId: string; children?: ReactNode };

/** The headline we give each refusal a binding meets; anything else is shown as the server's problem. */
const TITLES: Record<string, 'wrong' | 'locked' | 'expired'> = {
  'media.wrong_answer': 'wrong',
  'media.otp_wrong': 'wrong',
  'media.locked': 'locked',
  'media.challenge_invalid': 'expired',
  'media.otp_expired': 'expired',
  'media.not_found': 'expired',
};

/**
 * A refusal sized to what happened (DESIGN.md, "Errors"): a headline in our words, then the server's
 * detail (how many tries are left, where to unlock a medium) and, for an expired binding, what to do.
 * A fault or an unknown refusal goes to ProblemAlert, with the reference id and the hotline.
 */
export function BindingProblem({ error, testId, children }: Props) {
  const { t } = useTranslation('banking');
  const text = useProblemText();
  const kind = error instanceof ApiError ? TITLES[error.code] : undefined;
  if (!kind) return <ProblemAlert error={error} testId={testId} />;
  return (
    <Alert tone="error" title={t(`security.totp.problems.${kind}`)} testId={testId}>
      <p data-code={error instanceof ApiError ? error.code : undefined}>{text(error)}</p>
      {kind === 'expired' && <p>{t('security.totp.problems.expiredHint')}</p>}
      {children}
    </Alert>
  );
}

import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/ApiError';
import { Button } from '../../ui/Button';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { ReservedMessage } from '../AccountsOverview';
import type { Account } from '../bankingApi';
import { TransferSummary } from './parts';
import type { Reviewed } from './useTransferFlow';

type Props = {
  reviewed: Reviewed;
  account: Account | undefined;
  busy: boolean;
  /** The last attempt's failure: the button then offers to try again (with the same Idempotency-Key). */
  error: unknown;
  onConfirm: () => void;
  onEdit: () => void;
};

/**
 * Whether sending the same confirmation again could succeed: a lost answer or a fault of the bank's
 * (with the same Idempotency-Key, never paying twice). A refusal — a limit, a name that does not
 * match, too little money — answers the same however often it is sent: the way on is to change it.
 */
function retryCanHelp(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status >= 500 || error.status === 429;
}

/** What will be sent, with the amount in Chinese capitals and the reserved message; one primary button. */
export function ConfirmStep({ reviewed, account, busy, error, onConfirm, onEdit }: Props) {
  const { t } = useTranslation('banking');
  const refused = error !== undefined && !retryCanHelp(error);
  return (
    <section className="panel" aria-labelledby="confirm-title">
      <h2 id="confirm-title" className="section-title">
        {t('transfer.confirmTitle')}
      </h2>
      <TransferSummary request={reviewed.request} payee={reviewed.payee} account={account} />
      <ReservedMessage testId="confirm-reserved-message" compact />
      {error !== undefined && <ProblemAlert error={error} testId="transfer-error" />}
      <div className="panel__actions">
        {refused ? (
          <Button size="lg" onClick={onEdit} data-testid="transfer-edit">
            {t('transfer.edit')}
          </Button>
        ) : (
          <>
            <Button variant="secondary" onClick={onEdit} disabled={busy} data-testid="transfer-edit">
              {t('transfer.edit')}
            </Button>
            <Button size="lg" onClick={onConfirm} busy={busy} data-testid="confirm-transfer">
              {error === undefined ? t('transfer.confirm') : t('transfer.confirmRetry')}
            </Button>
          </>
        )}
      </div>
    </section>
  );
}

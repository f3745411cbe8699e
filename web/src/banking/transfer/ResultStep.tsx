import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { invalidate, queryKeys } from '../../api/queryKeys';
import { type Account, receiptUrl, savePayee, type Transfer, type TransferRequest } from '../bankingApi';
import { TransferSummary } from './parts';
import type { Reviewed } from './useTransferFlow';

type Props = {
  reviewed: Reviewed;
  transfer: Transfer;
  account: Account | undefined;
  onAgain: () => void;
  /** Where "back to my accounts" leads: the web's overview, or the phone app's home. */
  accountsPath?: string;
};

/** The outcome in the tone of its status, the facts again, the receipt, and the ways on. */
export function ResultStep({ reviewed, transfer, account, onAgain, accountsPath = '/accounts' }: Props) {
  const { t } = useTranslation('banking');
  return (
    <section className="panel" aria-labelledby="result-title">
      <TransferResult transfer={transfer} />
      <TransferSummary
        request={reviewed.request}
        payee={reviewed.payee}
        account={account}
        transfer={transfer}
        compact
      />
      <div className="panel__actions">
        {(transfer.status === 'completed' || transfer.status === 'pending') && (
          <a
            className="btn btn--secondary btn--md"
            href={receiptUrl(transfer.id)}
            target="_blank"
            rel="noopener"
            data-testid="receipt-link"
          >
            <span className="btn__label">{t('result.receipt')}</span>
          </a>
        )}
        {reviewed.payee.typedIn && transfer.status !== 'rejected' && reviewed.request.payee && (
          <SavePayeeButton payee={reviewed.request.payee} />
        )}
        <Button variant="secondary" onClick={onAgain} data-testid="transfer-again">
          {t('result.again')}
        </Button>
        <Link className="btn btn--primary btn--md" to={accountsPath}>
          <span className="btn__label">{t('result.toAccounts')}</span>
        </Link>
      </div>
    </section>
  );
}

/** "Save as payee" for a payee typed in: once saved, it says so instead. */
function SavePayeeButton({ payee }: { payee: NonNullable<TransferRequest['payee']> }) {
  const { t } = useTranslation('banking');
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: () => savePayee(payee),
    onSuccess: () => invalidate(client, [queryKeys.payees]),
  });
  if (save.isSuccess) {
    return (
      <span className="result__saved" role="status" data-testid="payee-saved">
        {t('result.payeeSaved')}
      </span>
    );
  }
  return (
    <Button variant="secondary" onClick={() => save.mutate()} busy={save.isPending} data-testid="save-payee">
      {save.isError ? t('result.savePayeeRetry') : t('result.savePayee')}
    </Button>
  );
}

const TONES = {
  completed: 'success',
  rejected: 'error',
  pending: 'info',
  authorization_required: 'warning',
  returned: 'warning',
  expired: 'error',
} as const satisfies Record<Transfer['status'], string>;

/** The outcome of a transfer, in the tone of its status. */
function TransferResult({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation('banking');
  return (
    <Alert tone={TONES[transfer.status]} title={<span id="result-title">{t(`result.title_${transfer.status}`)}</span>}>
      <p>
        <span data-testid="transfer-status" data-status={transfer.status}>
          {t(`result.status_${transfer.status}`, { defaultValue: transfer.status })}
        </span>
      </p>
      <p>{t(`result.body_${transfer.status}`, { defaultValue: '' })}</p>
    </Alert>
  );
}

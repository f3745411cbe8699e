import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/ApiError';
import { queryKeys } from '../../api/queryKeys';
import { customerName, useSession } from '../../api/session';
import { toFen } from '../../ui/money';
import { Button } from '../../ui/Button';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { ReservedMessage } from '../AccountsOverview';
import type { Account } from '../bankingApi';
import { getLimits } from '../security/mediaApi';
import { TransferSummary } from './parts';
import type { Reviewed } from './useTransferFlow';

type Props = {
  reviewed: Reviewed;
  account: Account | undefined;
  /** The customer's accounts: a payee among them is paid without a medium. */
  accounts?: Account[] | undefined;
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

type Signers = { method: string; upTo: { amount: string } }[];

/**
 * The medium the server will ask for this amount (payments' askForAuthorization): the least-friction
 * method the customer can use whose tier may sign it, from the limits' `signers`. A payment between the
 * customer's own accounts asks for none; undefined when the limits are not known (nothing is guessed).
 */
export function signerFor(signers: Signers | undefined, amount: string, ownAccount: boolean) {
  if (ownAccount) return { kind: 'none' as const };
  const fen = toFen(amount);
  if (!signers || fen === undefined) return undefined;
  const signer = signers.find((s) => (toFen(s.upTo.amount) ?? 0) >= fen);
  return signer ? { kind: 'method' as const, method: signer.method } : { kind: 'beyond' as const };
}

/**
 * Whether the payee is one of the customer's own accounts (paid at once, without a medium): the same
 * holder name and a number whose first and last four digits match one of theirs (the list is masked).
 */
function isOwnAccount(accounts: Account[] | undefined, payeeName: string, payeeAccount: string, name?: string) {
  if (!name || payeeName.trim() !== name) return false;
  const digits = payeeAccount.replace(/\D/g, '');
  return (accounts ?? []).some((a) => {
    const [head, tail] = [a.number.replace(/\s/g, '').slice(0, 4), a.number.replace(/\s/g, '').slice(-4)];
    return digits.startsWith(head) && digits.endsWith(tail);
  });
}

/** What will be sent, with the amount in Chinese capitals and the reserved message; one primary button. */
export function ConfirmStep({ reviewed, account, accounts, busy, error, onConfirm, onEdit }: Props) {
  const { t } = useTranslation('banking');
  const session = useSession();
  const limits = useQuery({ queryKey: queryKeys.limits, queryFn: getLimits });
  const own = isOwnAccount(accounts, reviewed.payee.name, reviewed.payee.account, customerName(session.data));
  const signer = signerFor(limits.data?.signers, reviewed.request.amount.amount, own);
  const signerText =
    signer?.kind === 'method'
      ? t('transfer.signerMethod', { medium: t(`auth.media.${signer.method}`, { defaultValue: signer.method }) })
      : signer?.kind === 'none'
        ? t('transfer.signerNone')
        : signer?.kind === 'beyond'
          ? t('transfer.signerBeyond')
          : undefined;
  const refused = error !== undefined && !retryCanHelp(error);
  return (
    <section className="panel" aria-labelledby="confirm-title">
      <h2 id="confirm-title" className="section-title">
        {t('transfer.confirmTitle')}
      </h2>
      <TransferSummary request={reviewed.request} payee={reviewed.payee} account={account} signer={signerText} />
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

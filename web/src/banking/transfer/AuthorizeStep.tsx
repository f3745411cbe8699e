import { type Account, type Authorization, authorizeTransfer, resendTransferCode, type Transfer } from '../bankingApi';
import { ChallengeStep } from './ChallengeStep';
import { TransferSummary } from './parts';
import type { Reviewed } from './useTransferFlow';

type Props = {
  reviewed: Reviewed;
  transfer: Transfer;
  authorization: Authorization;
  account: Account | undefined;
  /** Every answer about the transfer after this step's own: a new code's transfer, or the outcome. */
  onAnswer: (transfer: Transfer) => void;
  onCancel: () => void;
};

/**
 * The transfer's signature step: the challenge step with the transfer's summary, its answer going to
 * POST /api/v1/transfers/{id}/authorize.
 */
export function AuthorizeStep({ reviewed, transfer, authorization, account, onAnswer, onCancel }: Props) {
  return (
    <ChallengeStep
      payment={transfer}
      authorization={authorization}
      summary={<TransferSummary request={reviewed.request} payee={reviewed.payee} account={account} compact />}
      signs={{ payee: reviewed.payee.name, amount: reviewed.request.amount }}
      authorize={(method, answer) => authorizeTransfer(transfer.id, method, answer)}
      resend={(method) => resendTransferCode(transfer.id, method)}
      onAnswer={onAnswer}
      onCancel={onCancel}
    />
  );
}

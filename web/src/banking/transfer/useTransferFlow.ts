import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { afterTransfer, invalidate } from '../../api/queryKeys';
import { newIdempotencyKey, postTransfer, type Transfer, type TransferRequest } from '../bankingApi';

/**
 * The payee as the confirmation shows it: the number in full as typed (a saved payee's comes masked
 * from the server), the bank by name, whether the money leaves the bank (it then arrives through
 * clearing), and whether it was typed in rather than picked (the result then offers to save it).
 */
export type PayeeView = { name: string; account: string; bank: string; interbank: boolean; typedIn: boolean };

/** A request the customer has looked at, with what the confirmation shows of its payee. */
export type Reviewed = { request: TransferRequest; payee: PayeeView };

export type TransferStep =
  | { kind: 'form' }
  | ({ kind: 'confirm' } & Reviewed)
  | ({ kind: 'authorize'; transfer: Transfer } & Reviewed)
  | ({ kind: 'result'; transfer: Transfer } & Reviewed);

/**
 * The transfer's steps: form → confirmation → the medium's challenge (when the server asks) → result.
 * One Idempotency-Key per confirmation, reused for its retries, so that a lost answer cannot pay twice.
 */
export function useTransferFlow() {
  const client = useQueryClient();
  const [step, setStep] = useState<TransferStep>({ kind: 'form' });
  const idempotencyKey = useRef<string | undefined>(undefined);
  const submit = useMutation({
    mutationFn: ({ reviewed, key }: { reviewed: Reviewed; key: string }) => postTransfer(reviewed.request, key),
    onSuccess: (transfer, { reviewed }) => advance(reviewed, transfer),
  });

  /** Where an answer about the transfer leads: the medium's challenge while one is asked, else the result. */
  function advance({ request, payee }: Reviewed, transfer: Transfer) {
    if (transfer.status === 'authorization_required' && transfer.authorization) {
      setStep({ kind: 'authorize', request, payee, transfer });
      return;
    }
    idempotencyKey.current = undefined;
    invalidate(client, afterTransfer);
    setStep({ kind: 'result', request, payee, transfer });
  }

  /** Shows the confirmation of a request the form has checked. */
  function review(reviewed: Reviewed) {
    idempotencyKey.current = newIdempotencyKey();
    submit.reset();
    setStep({ kind: 'confirm', ...reviewed });
  }

  /** Sends the confirmed request; a retry after a failure carries the same key. */
  function confirm() {
    if (step.kind !== 'confirm' || submit.isPending) return;
    idempotencyKey.current ??= newIdempotencyKey();
    submit.mutate({ reviewed: step, key: idempotencyKey.current });
  }

  /** Back to the form, whatever step the customer was at. */
  function edit() {
    idempotencyKey.current = undefined;
    submit.reset();
    setStep({ kind: 'form' });
  }

  return {
    step,
    review,
    confirm,
    confirming: submit.isPending,
    confirmError: submit.error ?? undefined,
    advance,
    edit,
  };
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Money } from '../ui/Money';
import { Spinner } from '../ui/Spinner';
import { TextField } from '../ui/TextField';
import { decide, useApprovalsList } from './approvalsApi';
import { type Approval, type ApprovalDecision, counterKeys, openPdf, receiptUrl, type Staff } from './counterApi';
import { operationLabel } from './labels';
import { SummaryTable } from './operations/SummaryTable';
import type { SummaryRow } from './operations/types';
import { formatCounterTime } from './time';
import { useEscape } from './useEscape';

/** Supervisors and administrators decide; tellers see what waits. */
function canDecide(staff: Staff): boolean {
  return staff.role === 'supervisor' || staff.role === 'admin';
}

/** What a request asks beyond its kind and amount, for the supervisor to check (never a secret). */
function paramRows(approval: Approval, t: TFunction<'counter'>): SummaryRow[] {
  const params = approval.params as { mobile?: unknown; previousMobile?: unknown; reason?: unknown };
  const rows: SummaryRow[] = [];
  if (typeof params.previousMobile === 'string') rows.push({ label: t('fields.mobile'), value: params.previousMobile });
  if (typeof params.mobile === 'string') rows.push({ label: t('fields.newMobile'), value: params.mobile, large: true });
  if (typeof params.reason === 'string') rows.push({ label: t('fields.reason'), value: params.reason });
  return rows;
}

/** One request read back before the decision: what, for whom, how much (figures and capitals), by whom. */
function Review({ approval, staff, onBack }: { approval: Approval; staff: Staff; onBack: () => void }) {
  const { t, i18n } = useTranslation('counter');
  const client = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const decision = useMutation({
    mutationFn: (choice: { kind: 'approve' } | { kind: 'reject'; reason: string }) => decide(approval.id, choice),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: counterKeys.approvals });
      void client.invalidateQueries({ queryKey: counterKeys.customers });
    },
  });
  useEscape(() => (rejecting ? setRejecting(false) : onBack()));
  const own = approval.maker.id === staff.id;
  const rows: SummaryRow[] = [
    { label: t('approvals.id'), value: approval.id, testId: 'review-id' },
    { label: t('approvals.operation'), value: operationLabel(t, i18n, approval.kind), large: true },
    { label: t('approvals.customer'), value: approval.customerName ?? '' },
  ];
  if (approval.amount)
    rows.push({ label: t('approvals.amount'), amount: approval.amount.amount, testId: 'review-amount' });
  rows.push(...paramRows(approval, t));
  rows.push(
    { label: t('approvals.maker'), value: `${approval.maker.name} (${approval.maker.username})` },
    { label: t('approvals.createdAt'), value: formatCounterTime(approval.createdAt) },
  );
  if (approval.expiresAt) rows.push({ label: t('approvals.expiresAt'), value: formatCounterTime(approval.expiresAt) });

  function reject(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    decision.mutate({ kind: 'reject', reason: reason.trim() });
  }

  if (decision.isSuccess) return <Decided decision={decision.data} onBack={onBack} />;
  return (
    <div className="c-review" data-testid="approval-review">
      <SummaryTable rows={rows} />
      {decision.isError && <ProblemAlert staff error={decision.error} testId="approval-error" />}
      {own && <Alert tone="info">{t('approvals.ownRequest')}</Alert>}
      {!canDecide(staff) && <Alert tone="info">{t('approvals.onlySupervisors')}</Alert>}
      {rejecting ? (
        <form className="c-opform" onSubmit={reject} noValidate>
          <TextField
            label={t('approvals.rejectReason')}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            maxLength={200}
            required
            autoFocus
            error={missing && !reason.trim() ? t('form.required') : undefined}
            testId="approval-reject-reason"
          />
          <div className="c-actions">
            <Button variant="secondary" size="sm" onClick={() => setRejecting(false)}>
              {t('form.back')} <kbd>Esc</kbd>
            </Button>
            <Button type="submit" size="sm" busy={decision.isPending} data-testid="approval-reject-confirm">
              {t('approvals.rejectConfirm')} <kbd>Enter</kbd>
            </Button>
          </div>
        </form>
      ) : (
        <div className="c-actions">
          <Button variant="secondary" size="sm" onClick={onBack} data-testid="approval-back">
            {t('approvals.back')} <kbd>Esc</kbd>
          </Button>
          {canDecide(staff) && !own && (
            <>
              <Button variant="secondary" size="sm" onClick={() => setRejecting(true)} data-testid="approval-reject">
                {t('approvals.reject')}
              </Button>
              <Button
                size="sm"
                autoFocus
                busy={decision.isPending}
                onClick={() => decision.mutate({ kind: 'approve' })}
                data-testid="approval-approve"
              >
                {t('approvals.approve')} <kbd>Enter</kbd>
              </Button>
            </>
          )}
        </div>
      )}
    </div>
  );
}

/** The decision made: approved (the operation took effect, with anything shown once) or rejected. */
function Decided({ decision, onBack }: { decision: ApprovalDecision; onBack: () => void }) {
  const { t } = useTranslation('counter');
  const temporaryPassword = (decision.result as { temporaryPassword?: unknown } | undefined)?.temporaryPassword;
  const approved = decision.status === 'approved';
  return (
    <div className="c-result">
      <Alert tone={approved ? 'success' : 'info'} testId="approval-decided">
        {approved ? t('approvals.approved') : t('approvals.rejected')}
      </Alert>
      {typeof temporaryPassword === 'string' && (
        <div className="c-secret" data-testid="op-secret">
          <p className="c-secret__label">{t('result.temporaryPassword')}</p>
          <p className="c-secret__value tabular">{temporaryPassword}</p>
          <p className="c-secret__note">{t('result.temporaryPasswordNote')}</p>
        </div>
      )}
      <div className="c-actions">
        {approved && (
          <Button variant="secondary" size="sm" onClick={() => openPdf(receiptUrl(decision.operation.id))}>
            {t('form.receipt')}
          </Button>
        )}
        <Button size="sm" autoFocus onClick={onBack} data-testid="approval-done">
          {t('approvals.back')} <kbd>Enter</kbd>
        </Button>
      </div>
    </div>
  );
}

/** The approvals inbox: the branch's pending requests, each opened for review with Enter (Esc closes it). */
export function ApprovalsInbox({ staff }: { staff: Staff }) {
  const { t, i18n } = useTranslation('counter');
  const approvals = useApprovalsList({ fresh: true });
  const [selected, setSelected] = useState<Approval>();
  const firstRef = useRef<HTMLButtonElement>(null);
  const count = approvals.data?.items.length ?? 0;
  useEffect(() => {
    // The supervisor's Enter opens the oldest request.
    if (!selected && count > 0) firstRef.current?.focus();
  }, [selected, count]);
  if (selected) return <Review approval={selected} staff={staff} onBack={() => setSelected(undefined)} />;
  if (approvals.isPending) return <Spinner size={20} />;
  if (approvals.isError) return <ProblemAlert staff error={approvals.error} testId="approvals-error" />;
  const items = approvals.data.items;
  return (
    <div data-testid="approvals-inbox">
      {!canDecide(staff) && <p className="c-muted">{t('approvals.onlySupervisors')}</p>}
      {items.length === 0 ? (
        <p className="c-muted" data-testid="approvals-empty">
          {t('approvals.empty')}
        </p>
      ) : (
        <table className="c-table">
          <thead>
            <tr>
              <th scope="col">{t('approvals.createdAt')}</th>
              <th scope="col">{t('approvals.operation')}</th>
              <th scope="col">{t('approvals.customer')}</th>
              <th scope="col" className="num">
                {t('approvals.amount')}
              </th>
              <th scope="col">{t('approvals.maker')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('approvals.review')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((approval, index) => (
              <tr key={approval.id} data-testid="approval-row" data-approval-id={approval.id}>
                <td className="tabular">{formatCounterTime(approval.createdAt)}</td>
                <td>{operationLabel(t, i18n, approval.kind)}</td>
                <td>{approval.customerName ?? ''}</td>
                <td className="num">{approval.amount && <Money value={approval.amount} />}</td>
                <td>{approval.maker.name}</td>
                <td>
                  <button
                    type="button"
                    className="c-link"
                    ref={index === 0 ? firstRef : undefined}
                    onClick={() => setSelected(approval)}
                    data-testid="approval-open"
                  >
                    {t('approvals.review')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

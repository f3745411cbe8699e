import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ProblemAlert } from '../../ui/ProblemAlert';
import {
  type CustomerDetail,
  counterKeys,
  isApprovalRequired,
  newIdempotencyKey,
  openPdf,
  operationIdOf,
  passwordCardUrl,
  receiptUrl,
} from '../counterApi';
import { useEscape } from '../useEscape';
import { checkFields, OperationFields } from './OperationFields';
import { SummaryTable } from './SummaryTable';
import { buildSpec, type Operation } from './specs';
import type { Outcome, Values } from './types';

/** A line of the shift's journal: what was done, for whom, and how it ended. */
export type JournalEntry = {
  at: Date;
  operation: Operation;
  /** The operation as done, when the menu entry covers several (a deposit, an unfreeze). */
  title?: string;
  customerName?: string;
  amount?: string;
  approvalId?: string;
  operationId?: string;
};

type Props = {
  operation: Operation;
  customer: CustomerDetail | undefined;
  preset: Values;
  onClose: () => void;
  onOpenCustomer: (id: string) => void;
  onRecorded: (entry: JournalEntry) => void;
};

type Step =
  | { kind: 'form' }
  | { kind: 'confirm'; idempotencyKey: string }
  | { kind: 'done'; outcome: Outcome; operationId?: string }
  | { kind: 'approval'; approvalId: string };

/** Esc on a step: `back` is where it goes (the form from the confirmation, closed from anywhere else). */
function escapeTo(back: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    back();
  };
}

/** Esc on a result: back to the console (a component, so that only the step on screen listens). */
function EscapeTo({ action }: { action: () => void }) {
  useEscape(action);
  return null;
}

/**
 * One counter operation from form to result: the form, a confirmation read back to the customer (amounts
 * in figures and capitals), then either "done" (with the receipt to print and anything shown once) or
 * "awaiting supervisor approval" with the approval id.
 */
export function OperationPanel({ operation, customer, preset, onClose, onOpenCustomer, onRecorded }: Props) {
  const { t } = useTranslation('counter');
  const client = useQueryClient();
  const spec = useMemo(() => buildSpec(operation, { customer, t, preset }), [operation, customer, t, preset]);
  const [values, setValues] = useState<Values>(() => ({ ...spec?.initial, ...preset }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [step, setStep] = useState<Step>({ kind: 'form' });

  const send = useMutation({
    mutationFn: (idempotencyKey: string) => {
      if (!spec) throw new Error('operation without its customer');
      return spec.submit(values, idempotencyKey);
    },
    onSuccess: (answer) => {
      void client.invalidateQueries({ queryKey: counterKeys.customers });
      void client.invalidateQueries({ queryKey: counterKeys.approvals });
      const entry = {
        at: new Date(),
        operation,
        title: spec?.title?.(values),
        customerName: customer?.name,
        amount: spec?.amount?.(values),
      };
      if (isApprovalRequired(answer)) {
        onRecorded({ ...entry, approvalId: answer.approvalId });
        setStep({ kind: 'approval', approvalId: answer.approvalId });
        return;
      }
      const operationId = operationIdOf(answer);
      onRecorded({ ...entry, operationId });
      // Secrets (a temporary password, a card PIN) leave the page's memory once the step is shown.
      setValues({ ...spec?.initial });
      setStep({ kind: 'done', outcome: spec?.outcome?.(answer, values) ?? {}, operationId });
    },
  });

  if (!spec) {
    return (
      <Alert tone="warning" testId="op-needs-customer">
        {t('shell.needsCustomer')}
      </Alert>
    );
  }

  function goConfirm() {
    const found = checkFields(spec?.fields ?? [], values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    send.reset();
    // One key per submission: a retry of this confirmation sends it again, a new form gets a new one.
    setStep({ kind: 'confirm', idempotencyKey: newIdempotencyKey() });
  }

  function finish(outcome: Outcome | undefined) {
    onClose();
    if (outcome?.openCustomerId) onOpenCustomer(outcome.openCustomerId);
  }

  if (step.kind === 'form') {
    return (
      <OperationFields
        operation={operation}
        fields={spec.fields}
        values={values}
        errors={errors}
        note={spec.note?.(values)}
        onChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))}
        onSubmit={goConfirm}
        onCancel={onClose}
      />
    );
  }

  if (step.kind === 'confirm') {
    const key = step.idempotencyKey;
    return (
      <form
        className="c-confirm"
        onSubmit={(event) => {
          event.preventDefault();
          if (!send.isPending) send.mutate(key);
        }}
        onKeyDown={escapeTo(() => !send.isPending && setStep({ kind: 'form' }))}
        data-testid="op-confirm"
      >
        <p className="c-confirm__title">{t('form.confirmTitle')}</p>
        <SummaryTable rows={spec.summary(values)} testId="op-summary" />
        <p className="c-muted">{t('form.confirmLead')}</p>
        {send.isError && <ProblemAlert staff error={send.error} testId="op-error" />}
        <div className="c-actions">
          <Button
            variant="secondary"
            size="sm"
            disabled={send.isPending}
            onClick={() => setStep({ kind: 'form' })}
            data-testid="op-back"
          >
            {t('form.back')} <kbd>Esc</kbd>
          </Button>
          <Button type="submit" size="sm" busy={send.isPending} autoFocus data-testid="op-confirm-submit">
            {send.isPending ? t('form.submitting') : send.isError ? t('form.confirmRetry') : t('form.confirm')}{' '}
            <kbd>Enter</kbd>
          </Button>
        </div>
      </form>
    );
  }

  if (step.kind === 'approval') {
    return (
      <div className="c-result">
        <EscapeTo action={onClose} />
        <Alert tone="warning" title={t('form.approvalTitle')} testId="op-approval">
          <p>
            {t('form.approvalBody', { id: step.approvalId })}{' '}
            <code className="c-id" data-testid="op-approval-id">
              {step.approvalId}
            </code>
          </p>
          <p>{t('form.approvalNote')}</p>
        </Alert>
        <div className="c-actions">
          <Button size="sm" autoFocus onClick={onClose} data-testid="op-done">
            {t('form.done')} <kbd>Enter</kbd>
          </Button>
        </div>
      </div>
    );
  }

  const { outcome, operationId } = step;
  return (
    <div className="c-result">
      <EscapeTo action={() => finish(outcome)} />
      <Alert tone="success" title={t('form.doneTitle')} testId="op-done-alert">
        {outcome.rows && outcome.rows.length > 0 && <SummaryTable rows={outcome.rows} testId="op-result" />}
      </Alert>
      {outcome.secret && (
        <div className="c-secret" data-testid="op-secret">
          <p className="c-secret__label">{outcome.secret.label}</p>
          <p className="c-secret__value tabular" data-testid="op-secret-value">
            {outcome.secret.value}
          </p>
          <p className="c-secret__note">{outcome.secret.note}</p>
        </div>
      )}
      {outcome.cardMediumId && <p className="c-note">{t('result.printCardNote')}</p>}
      <div className="c-actions">
        {outcome.cardMediumId && (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => openPdf(passwordCardUrl(outcome.cardMediumId ?? ''))}
            data-testid="op-print-card"
          >
            {t('result.printCard')}
          </Button>
        )}
        {operationId && (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => openPdf(receiptUrl(operationId))}
            data-testid="op-receipt"
          >
            {t('form.receipt')}
          </Button>
        )}
        <Button size="sm" autoFocus onClick={() => finish(outcome)} data-testid="op-done">
          {t('form.done')} <kbd>Enter</kbd>
        </Button>
      </div>
    </div>
  );
}

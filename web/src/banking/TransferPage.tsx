import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { AuthorizeStep } from './transfer/AuthorizeStep';
import { ConfirmStep } from './transfer/ConfirmStep';
import { ResultStep } from './transfer/ResultStep';
import { Stepper } from './transfer/Stepper';
import { TransferForm } from './transfer/TransferForm';
import { type TransferPrefill, useTransferForm } from './transfer/useTransferForm';
import { useTransferFlow } from './transfer/useTransferFlow';

const STEP_INDEX = { form: 0, confirm: 1, authorize: 1, result: 2 } as const;

/**
 * `/transfer`: the form, a confirmation that shows exactly what will be sent (with the amount in Chinese
 * capitals and the reserved message), the security medium's challenge when the server asks for one, and
 * the result with the electronic receipt. The steps and their requests live in useTransferFlow. The phone
 * app's Transfer tab shows this same page, its "back to accounts" leading to the phone's home.
 */
export function TransferPage({ accountsPath }: { accountsPath?: string } = {}) {
  const { t } = useTranslation('banking');
  const prefill = (useLocation().state as { prefill?: TransferPrefill } | null)?.prefill;
  const form = useTransferForm(prefill);
  const flow = useTransferFlow();
  const { step } = flow;
  useDocumentTitle(`${t('transfer.title')} · ${t('brand.name', { ns: 'common' })}`);

  return (
    <>
      <h1 className="app-page__title">{t('transfer.title')}</h1>
      <Stepper current={STEP_INDEX[step.kind]} />
      {step.kind === 'form' && <TransferForm form={form} onReview={flow.review} />}
      {step.kind === 'confirm' && (
        <ConfirmStep
          reviewed={step}
          account={form.fromAccount}
          accounts={form.accounts.data?.items}
          busy={flow.confirming}
          error={flow.confirmError}
          onConfirm={flow.confirm}
          onEdit={flow.edit}
        />
      )}
      {step.kind === 'authorize' && step.transfer.authorization && (
        <AuthorizeStep
          reviewed={step}
          transfer={step.transfer}
          authorization={step.transfer.authorization}
          account={form.fromAccount}
          onAnswer={(transfer) => flow.advance(step, transfer)}
          onCancel={flow.edit}
        />
      )}
      {step.kind === 'result' && (
        <ResultStep
          reviewed={step}
          transfer={step.transfer}
          account={form.fromAccount}
          accountsPath={accountsPath}
          onAgain={() => {
            form.fillFrom(step.request);
            flow.edit();
          }}
        />
      )}
    </>
  );
}

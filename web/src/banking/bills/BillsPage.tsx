import './messages';
import './bills.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { afterTransfer, invalidate, queryKeys } from '../../api/queryKeys';
import { useDocumentTitle } from '../../app/useDocumentTitle';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { Spinner } from '../../ui/Spinner';
import { getAccounts } from '../bankingApi';
import { ChallengeStep } from '../transfer/ChallengeStep';
import { BillForm, type BillLookup } from './BillForm';
import { BillResult } from './BillResult';
import { BillStep, BillSummary } from './BillStep';
import {
  authorizeBillPayment,
  type Bill,
  type Biller,
  type BillPayment,
  billKeys,
  getBillers,
  queryBill,
  resendBillCode,
} from './billsApi';
import { MyBills } from './MyBills';

type Found = { biller: Biller; bill: Bill };
type Step =
  | { kind: 'lookup' }
  | ({ kind: 'bill' } & Found)
  | ({ kind: 'authorize'; payment: BillPayment } & Found)
  | ({ kind: 'result'; payment: BillPayment } & Found);

/**
 * `/bills` (生活缴费): pick a category and biller, type the bill account (or pick one of "my bills"), look
 * the bill up, pay it from an account with the security medium's challenge, and download the receipt.
 * The phone app shows the same page (`/m/bills`), its result leading back to the phone's home.
 */
export function BillsPage({ accountsPath = '/accounts' }: { accountsPath?: string }) {
  const { t } = useTranslation('bills');
  useDocumentTitle(`${t('title')} · ${t('brand.name', { ns: 'common' })}`);
  const client = useQueryClient();
  const billers = useQuery({ queryKey: billKeys.billers, queryFn: getBillers });
  const accounts = useQuery({ queryKey: queryKeys.accounts, queryFn: getAccounts });
  const [step, setStep] = useState<Step>({ kind: 'lookup' });
  const [last, setLast] = useState<BillLookup | undefined>(undefined);
  const lookup = useMutation({
    mutationFn: async ({ biller, billAccount }: { biller: Biller; billAccount: string }) => ({
      biller,
      bill: await queryBill(biller.id, billAccount),
    }),
    onSuccess: (found) => setStep({ kind: 'bill', ...found }),
  });

  function find(request: BillLookup) {
    const biller = billers.data?.items.find((item) => item.id === request.billerId);
    if (!biller) return;
    setLast(request);
    lookup.mutate({ biller, billAccount: request.billAccount });
  }

  /** Where an answer about the payment leads: its challenge while one is asked, else the result. */
  function advance({ biller, bill }: Found, payment: BillPayment) {
    if (payment.status === 'authorization_required' && payment.authorization) {
      setStep({ kind: 'authorize', biller, bill, payment });
      return;
    }
    invalidate(client, [...afterTransfer, billKeys.saved]);
    setStep({ kind: 'result', biller, bill, payment });
  }

  const account = (id: string) => accounts.data?.items.find((item) => item.id === id);
  return (
    <>
      <h1 className="app-page__title">{t('title')}</h1>
      <p className="section-lead">{t('lead')}</p>
      {billers.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
      {billers.isError && <ProblemAlert error={billers.error} />}
      {billers.data && step.kind === 'lookup' && (
        <div className="bills">
          <BillForm
            billers={billers.data.items}
            initial={last}
            busy={lookup.isPending}
            error={lookup.error ?? undefined}
            onLookup={find}
          />
          <MyBills onQuery={(saved) => find({ billerId: saved.billerId, billAccount: saved.billAccount })} />
        </div>
      )}
      {step.kind === 'bill' && (
        <BillStep
          biller={step.biller}
          bill={step.bill}
          accounts={accounts.data?.items ?? []}
          onPayment={(payment) => advance(step, payment)}
          onBack={() => {
            lookup.reset();
            setStep({ kind: 'lookup' });
          }}
        />
      )}
      {step.kind === 'authorize' && step.payment.authorization && (
        <ChallengeStep
          payment={step.payment}
          authorization={step.payment.authorization}
          summary={
            <BillSummary biller={step.biller} payment={step.payment} account={account(step.payment.fromAccountId)} />
          }
          signs={{ payee: step.biller.name, amount: step.payment.amount }}
          authorize={(method, answer) => authorizeBillPayment(step.payment.id, method, answer)}
          resend={(method) => resendBillCode(step.payment.id, method)}
          onAnswer={(payment) => advance(step, payment)}
          onCancel={() => setStep({ kind: 'bill', biller: step.biller, bill: step.bill })}
        />
      )}
      {step.kind === 'result' && (
        <BillResult
          biller={step.biller}
          payment={step.payment}
          account={account(step.payment.fromAccountId)}
          accountsPath={accountsPath}
          onAgain={() => {
            lookup.reset();
            setStep({ kind: 'lookup' });
          }}
        />
      )}
    </>
  );
}

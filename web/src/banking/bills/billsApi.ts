import { api } from '../../api/client';
import type {
  BillersView,
  BillPaymentRequest,
  BillPaymentView,
  BillQueryView,
  SavedBillAccountsView,
  SavedBillAccountView,
} from '../../api/contract';

/** The bill payment calls (API.md, "Bill payment"); every shape is the server's own response type. */

export type Biller = BillersView['items'][number];
export type BillCategory = Biller['category'];
export type Bill = BillQueryView;
export type BillPayment = BillPaymentView;
export type SavedBill = SavedBillAccountView;

/** The categories in the order the page offers them. */
export const CATEGORIES: readonly BillCategory[] = ['electricity', 'water', 'gas', 'mobile', 'broadband', 'tuition'];

/** This area's query keys (the catalogue changes rarely; "my bills" after every payment). */
export const billKeys = { billers: ['billers'], saved: ['bill-accounts'] } as const;

export const getBillers = () => api<BillersView>('/api/v1/billers');

export const queryBill = (billerId: string, billAccount: string) =>
  api<Bill>('/api/v1/bills/query', { method: 'POST', body: { billerId, billAccount } });

export const postBillPayment = (body: BillPaymentRequest, idempotencyKey: string) =>
  api<BillPayment>('/api/v1/bills/payments', {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });

/** `response`: the digits a medium shows, or a U-shield's `AuthenticationResponseJSON`. */
export const authorizeBillPayment = (id: string, method: string, response: string | object) =>
  api<BillPayment>(`/api/v1/bills/payments/${encodeURIComponent(id)}/authorize`, {
    method: 'POST',
    body: { method, response },
  });

/** A fresh challenge for a bill payment: a resend, or another medium among the alternatives. */
export const resendBillCode = (id: string, method?: string) =>
  api<BillPayment>(`/api/v1/bills/payments/${encodeURIComponent(id)}/challenge`, {
    method: 'POST',
    body: method ? { method } : {},
  });

export const billReceiptUrl = (id: string) => `/api/v1/bills/payments/${encodeURIComponent(id)}/receipt`;

export const getSavedBills = () => api<SavedBillAccountsView>('/api/v1/bills/accounts');

export const saveBill = (billerId: string, billAccount: string) =>
  api<SavedBill>('/api/v1/bills/accounts', { method: 'POST', body: { billerId, billAccount } });

export const deleteSavedBill = (id: string) =>
  api<void>(`/api/v1/bills/accounts/${encodeURIComponent(id)}`, { method: 'DELETE' });

import { ApiError } from '../api/ApiError';
import { createSessionClient, type RequestOptions } from '../api/client';
import type {
  ApprovalDecision,
  ApprovalRequired,
  CounterAccount,
  CounterCustomerDetail,
  CounterCustomerSummary,
  CounterLoginAnswer,
  CounterSessionAnswer,
  EbankingStatus,
  MediumItem,
  OperationView,
  StaffView,
} from '../api/contract';

/** The counter's shapes: the static types of the server's `counter/schema.ts` (API.md, "Counter"). */
export type Staff = StaffView;
export type StaffRole = StaffView['role'];
export type { CounterLoginAnswer, ApprovalDecision, ApprovalRequired, CounterAccount, EbankingStatus };
export type StaffSessionAnswer = CounterSessionAnswer;
/** One line of a customer search. */
export type CustomerHit = CounterCustomerSummary;
/** What the counter sees of one customer: identity, accounts in full, e-banking, media and recent events. */
export type CustomerDetail = CounterCustomerDetail;
export type CounterMedium = MediumItem;
export type CounterEvent = CounterCustomerDetail['events'][number];
/** One counter operation as the approvals inbox shows it. */
export type Approval = OperationView;

/**
 * The e-banking state in one word for the badge: not enrolled, enrolled but waiting for the first login,
 * locked by wrong passwords, suspended, active with a temporary password to change, or active.
 */
export function ebankingWord(ebanking: EbankingStatus): string {
  if (!ebanking.registered) return 'none';
  if (ebanking.locked) return 'locked';
  if (ebanking.status === 'suspended') return 'suspended';
  if (ebanking.status === 'not_activated') return 'not_activated';
  return ebanking.mustChangePassword ? 'must_change' : 'active';
}

const client = createSessionClient<StaffSessionAnswer>('/api/v1/counter/session');
const unauthorizedListeners = new Set<() => void>();

/** Calls `listener` when a counter request answers 401: the staff session is gone (idle, or signed out elsewhere). */
export function onStaffUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** A counter API call with the staff session's own CSRF token (never the customer's). */
export async function counterApi<T>(path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return await client.call<T>(path, options);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) for (const listener of unauthorizedListeners) listener();
    throw error;
  }
}

/** `GET /api/v1/counter/session`: who is signed in at this counter, and the CSRF token for state changes. */
export const fetchStaffSession = client.session;

/** Forgets the staff CSRF token (the server rotates the session at sign-in and sign-out). */
export const forgetStaffToken = client.forgetToken;

/** True when an operation answered 202: it waits for a supervisor and has had no effect yet. */
export function isApprovalRequired(answer: unknown): answer is ApprovalRequired {
  return (
    typeof answer === 'object' &&
    answer !== null &&
    (answer as { status?: unknown }).status === 'approval_required' &&
    typeof (answer as { approvalId?: unknown }).approvalId === 'string'
  );
}

/** A fresh `Idempotency-Key` for one submission of a cash form: a retry of that submission reuses it. */
export function newIdempotencyKey(): string {
  // getRandomValues, not randomUUID: a branch terminal may reach the server over plain http on the LAN.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `counter-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The counter receipt for the customer to sign. */
export function receiptUrl(operationId: string): string {
  return `/api/v1/counter/receipts/${encodeURIComponent(operationId)}.pdf`;
}

/** A new password card's printable PDF (the server serves it once). */
export function passwordCardUrl(mediumId: string): string {
  return `/api/v1/counter/media/${encodeURIComponent(mediumId)}/card.pdf`;
}

/** The operation id an answer names for its receipt, if any. */
export function operationIdOf(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const id = (answer as { operationId?: unknown }).operationId;
  return typeof id === 'string' && id ? id : undefined;
}

/** Opens a PDF (receipt, password card) in a new tab for printing; the staff cookie goes with it. */
export function openPdf(url: string) {
  window.open(url, '_blank', 'noopener');
}

export const counterKeys = {
  session: ['counter', 'session'],
  search: (q: string) => ['counter', 'search', q],
  customer: (id: string) => ['counter', 'customer', id],
  customers: ['counter', 'customer'],
  approvals: ['counter', 'approvals'],
} as const;

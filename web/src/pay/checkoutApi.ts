import { api } from '../api/client';
import type { CheckoutAnswerView, CheckoutView } from '../../../server/src/merchants/schema.ts';

/**
 * The checkout page's calls (API.md, "Merchant gateway"); the shapes are the server's own schema types
 * (type-only, erased by Vite).
 */
export type Checkout = CheckoutView;
export type CheckoutAnswer = CheckoutAnswerView;

const base = (tradeNo: string) => `/api/v1/checkout/${encodeURIComponent(tradeNo)}`;

export const checkoutKey = (tradeNo: string) => ['checkout', tradeNo] as const;

export const getCheckout = (tradeNo: string) => api<Checkout>(base(tradeNo));

export const payCheckout = (tradeNo: string, fromAccountId: string, idempotencyKey: string) =>
  api<CheckoutAnswer>(`${base(tradeNo)}/pay`, {
    method: 'POST',
    body: { fromAccountId },
    headers: { 'Idempotency-Key': idempotencyKey },
  });

/** `response`: the digits a medium shows, or a U-shield's `AuthenticationResponseJSON`. */
export const authorizeCheckout = (tradeNo: string, method: string, response: string | object) =>
  api<CheckoutAnswer>(`${base(tradeNo)}/authorize`, { method: 'POST', body: { method, response } });

export const resendCheckoutChallenge = (tradeNo: string, method?: string) =>
  api<CheckoutAnswer>(`${base(tradeNo)}/challenge`, { method: 'POST', body: method ? { method } : {} });

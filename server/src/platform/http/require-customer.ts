import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assert } from '../assert.ts';
import { AppError } from '../errors.ts';
import type { Id } from '../ids.ts';

/** The signed-in customer of a request, as the session owner (auth) found it. */
export type CustomerSession = { readonly customerId: Id<'Customer'>; readonly sessionId: string };

/** Finds the live customer session a request carries (its cookie), or null when there is none. */
export type CustomerSessionResolver = (request: FastifyRequest) => Promise<CustomerSession | null>;

type Provision = { readonly resolve: CustomerSessionResolver; readonly refusalCode: string };

declare module 'fastify' {
  interface FastifyInstance {
    /** How this app finds a request's customer session: given by provideCustomerSessions. */
    customerSessions?: Provision;
    /** Whether a signed-in customer may use their accounts: given by provideAccountAccess. */
    accountAccess?: AccessProvision;
  }
  interface FastifyRequest {
    /** The signed-in customer, set by requireCustomer. */
    customerId: Id<'Customer'>;
    /** The customer's session, set by requireCustomer. */
    sessionId: string;
  }
}

/**
 * Gives the app its session resolver (the auth domain calls this on the root instance, so every
 * domain's routes see it). Platform code never imports a domain: the resolver arrives as a decorator.
 * `refusalCode` is the error a request without a live session gets.
 */
export function provideCustomerSessions(app: FastifyInstance, resolve: CustomerSessionResolver, refusalCode: string) {
  app.decorate('customerSessions', { resolve, refusalCode });
}

/**
 * A preHandler for customer routes: sets `request.customerId` and `request.sessionId`, or refuses the
 * request (401, the provider's code) when it has no live session.
 */
export function requireCustomer() {
  return async function requireCustomerSession(request: FastifyRequest): Promise<void> {
    const provision = request.server.customerSessions;
    assert(provision, 'a customer route needs provideCustomerSessions (the auth domain) registered first');
    const session = await provision.resolve(request);
    if (!session) throw new AppError(provision.refusalCode);
    request.customerId = session.customerId;
    request.sessionId = session.sessionId;
  };
}

/** Whether a signed-in customer may see their accounts and move money (the registration domain decides). */
export type AccountAccessCheck = (customerId: Id<'Customer'>) => Promise<boolean>;

type AccessProvision = { readonly allowed: AccountAccessCheck; readonly refusalCode: string };

/**
 * Gives the app its account-access check (the registration domain calls this on the root instance): a
 * customer who registered on the phone sees no accounts and moves no money until they bind a card.
 * Without a provider every signed-in customer may use their accounts.
 */
export function provideAccountAccess(app: FastifyInstance, allowed: AccountAccessCheck, refusalCode: string) {
  app.decorate('accountAccess', { allowed, refusalCode });
}

/** Whether the request's signed-in customer (requireCustomer ran first) may use their accounts. */
export async function hasAccountAccess(request: FastifyRequest): Promise<boolean> {
  const provision = request.server.accountAccess;
  return provision ? provision.allowed(request.customerId) : true;
}

/**
 * A preHandler for routes that show an account or move money, after requireCustomer: refuses (the
 * provider's code) a customer who may not use their accounts yet.
 */
export function requireAccountAccess() {
  return async function requireAccountAccessOf(request: FastifyRequest): Promise<void> {
    const provision = request.server.accountAccess;
    if (provision && !(await provision.allowed(request.customerId))) throw new AppError(provision.refusalCode);
  };
}

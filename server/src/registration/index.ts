/**
 * Every way into online banking online (issue 15; API.md, "Registration and passwords"), and what
 * other domains may use of it.
 *
 * - Self-registration (网上自助注册): card number, card PIN, name, ID number, registered mobile and
 *   its SMS code, the agreement's version → a login password, a static-password customer (no medium,
 *   ¥300 in total). Every mismatch, a blocked PIN included (checks.ts says why), is the one
 *   `registration.details_mismatch` (422).
 * - Mobile registration (/m/): the model. Only a bank customer's registered mobile gets a code, and only
 *   a customer without online banking may register with it (anyone else: the same mismatch). The
 *   registration sets the password, records the agreement, opens a `mobile` session through the auth
 *   domain, and writes a card_binding row with no card. Until POST /accounts/bind proves a card of
 *   theirs (number, PIN with its 3-a-day block, ID number), that customer sees no accounts (the list is
 *   empty) and every account and payment route refuses them with `registration.card_not_bound` (403).
 *   The one predicate is `hasBoundCard`; the routes ask it through the platform's account-access gate,
 *   so customers and payments need not import this domain (which imports them).
 * - Online password reset (找回密码): reset.ts.
 * - The registration SMS route answers alike, at one pace, for every mobile: sms.ts.
 */
export { AGREEMENT, type Agreement } from './agreement.ts';
export { registrationErrors } from './errors.ts';
export { purgeRegistrationLeftovers } from './housekeeping.ts';
export { registrationMigrations } from './migrations.ts';
export { registerRegistrationRoutes } from './routes.ts';
export { hasBoundCard } from './service.ts';
export type { RegistrationTables } from './store.ts';

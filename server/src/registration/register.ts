import { appendAudit } from '../audit/index.ts';
import {
  type Client,
  type CustomerView,
  createSession,
  customerViewOf,
  hasOnlineBanking,
  setLoginPassword,
} from '../auth/index.ts';
import { customerById, idNumberHmac, lockCustomer } from '../customers/index.ts';
import type { Tx } from '../database.ts';
import { enqueueMessage, smsText } from '../notify/index.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import type { AppContext } from '../platform/context.ts';
import { isUniqueViolation, withTransaction } from '../platform/db/transaction.ts';
import { newId } from '../platform/ids.ts';
import { AGREEMENT } from './agreement.ts';
import { checkCardAndPin, mismatch, precheckPassword, refuse, refuseOutdatedAgreement } from './checks.ts';
import { checkRegistrationCode } from './sms.ts';
import { insertAcceptance, insertCardBinding, markCardBound } from './store.ts';

export type SelfRegistration = {
  cardNumber: string;
  cardPin: string;
  name: string;
  idNumber: string;
  mobile: string;
  smsCode: string;
  password: string;
  agreementVersion: string;
};

/**
 * Online self-registration (网上自助注册): the code sent to the mobile proves the phone first, so a
 * stranger who knows only a card number cannot spend its owner's PIN tries; then the card and its
 * PIN; then name, ID number and mobile against the bank's records, and that the customer has no online
 * banking yet. Every refusal is the one `registration.details_mismatch`. The result is a
 * static-password customer (no medium: ¥300 in total) who signs in with any of their identifiers.
 */
export async function registerSelf(ctx: AppContext, input: SelfRegistration, ip: string): Promise<CustomerView> {
  refuseOutdatedAgreement(input.agreementVersion);
  precheckPassword(input.password, { mobile: input.mobile, idNumber: input.idNumber });
  const kind = 'registration.self_refused';
  const customerId = await withTransaction(ctx.db.kysely, (trx) =>
    checkRegistrationCode(trx, ctx, { mobile: input.mobile, purpose: 'self', code: input.smsCode }),
  );
  if (!customerId) throw await refuse(ctx, { kind, reason: 'sms_code', ip });
  const card = await checkCardAndPin(ctx, input.cardNumber, input.cardPin);
  if (!card) throw await refuse(ctx, { kind, reason: 'card_or_pin', ip, customerId });
  const customer = await customerById(ctx.db.kysely, customerId);
  const reason = !customer
    ? 'customer'
    : card.customer_id !== customerId
      ? 'card_holder'
      : customer.name !== input.name.trim()
        ? 'name'
        : customer.id_number_hmac !== idNumberHmac(ctx.config.secret, input.idNumber)
          ? 'id_number'
          : customer.status !== 'active'
            ? 'status'
            : null;
  if (reason) throw await refuse(ctx, { kind, reason, ip, customerId });
  const created = await withTransaction(ctx.db.kysely, async (trx) => {
    if (!(await openOnlineBanking(trx, ctx, customerId, input.password, input.idNumber))) return false;
    await acceptAgreement(trx, ctx, customerId, 'self', ip);
    await appendAudit(trx, {
      kind: 'registration.self',
      atMs: ctx.clock.nowMs(),
      actor: { type: 'customer', id: customerId },
      subject: { type: 'customer', id: customerId },
      ip,
      details: { agreementVersion: AGREEMENT.version, cardAccountId: card.id },
    });
    return true;
  });
  if (!created) throw await refuse(ctx, { kind, reason: 'has_online_banking', ip, customerId });
  ctx.kickOutbox();
  const view = await customerViewOf(ctx.db.kysely, customerId);
  if (!view) throw mismatch();
  return view;
}

export type MobileRegistration = { mobile: string; smsCode: string; password: string; agreementVersion: string };

/**
 * Mobile first-login registration (/m/): the code sent to a bank customer's registered mobile, the
 * agreement and a password open online banking and a mobile session at once. Until a card is bound
 * (bindCard) the session sees no accounts and moves no money (index.ts says how).
 */
export async function registerMobile(
  ctx: AppContext,
  input: MobileRegistration,
  client: Client,
): Promise<{ customer: CustomerView; token: string }> {
  refuseOutdatedAgreement(input.agreementVersion);
  precheckPassword(input.password, { mobile: input.mobile });
  const kind = 'registration.mobile_refused';
  const ip = client.ip;
  const customerId = await withTransaction(ctx.db.kysely, (trx) =>
    checkRegistrationCode(trx, ctx, { mobile: input.mobile, purpose: 'mobile', code: input.smsCode }),
  );
  if (!customerId) throw await refuse(ctx, { kind, reason: 'sms_code', ip });
  const customer = await customerById(ctx.db.kysely, customerId);
  if (customer?.status !== 'active') throw await refuse(ctx, { kind, reason: 'status', ip, customerId });
  const token = await withTransaction(ctx.db.kysely, async (trx) => {
    if (!(await openOnlineBanking(trx, ctx, customerId, input.password, undefined))) return null;
    await insertCardBinding(trx, customerId, ctx.clock.nowMs());
    await acceptAgreement(trx, ctx, customerId, 'mobile', ip);
    const session = await createSession(trx, ctx, {
      customerId,
      channel: 'mobile',
      deviceId: client.deviceId,
      ip,
      userAgent: client.userAgent,
      previousToken: client.previousToken,
    });
    await appendAudit(trx, {
      kind: 'registration.mobile',
      atMs: ctx.clock.nowMs(),
      actor: { type: 'customer', id: customerId },
      subject: { type: 'customer', id: customerId },
      ip,
      details: { agreementVersion: AGREEMENT.version, sessionId: session.id, cardBound: false },
    });
    return session.token;
  });
  if (!token) throw await refuse(ctx, { kind, reason: 'has_online_banking', ip, customerId });
  ctx.kickOutbox();
  const view = await customerViewOf(ctx.db.kysely, customerId);
  if (!view) throw mismatch();
  return { customer: view, token };
}

/**
 * Sets the first login password of a customer without online banking and tells them by SMS; false
 * (nothing written) when they have it already. The customer's row is locked, so two registrations at
 * once cannot both succeed.
 */
async function openOnlineBanking(
  trx: Tx,
  ctx: AppContext,
  customerId: string,
  password: string,
  idNumber: string | undefined,
): Promise<boolean> {
  await lockCustomer(trx, customerId);
  if (await hasOnlineBanking(trx, customerId)) return false;
  try {
    await setLoginPassword(trx, ctx, customerId, password, {
      temporary: false,
      ...(idNumber ? { idNumber } : {}),
    });
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
  const customer = await customerById(trx, customerId);
  const nowMs = ctx.clock.nowMs();
  if (customer) {
    await enqueueMessage(
      trx,
      {
        channel: 'sms',
        to: customer.mobile,
        purpose: 'registration.done',
        text: smsText('registration.done', { at: chinaDateTime(nowMs) }),
      },
      nowMs,
    );
  }
  return true;
}

function acceptAgreement(trx: Tx, ctx: AppContext, customerId: string, way: 'self' | 'mobile', ip: string) {
  return insertAcceptance(trx, {
    id: newId<'AgreementAcceptance'>(),
    customer_id: customerId,
    version: AGREEMENT.version,
    way,
    ip,
    accepted_at_ms: ctx.clock.nowMs(),
  });
}

/**
 * Binds a card to the signed-in customer (POST /accounts/bind): the card must be theirs, its PIN right
 * (3 wrong a day block it) and the ID number theirs; any mismatch is the one answer. From then on the
 * accounts and payments are open to the session.
 */
export async function bindCard(
  ctx: AppContext,
  customerId: string,
  input: { cardNumber: string; cardPin: string; idNumber: string },
  ip: string,
): Promise<{ cardBound: true }> {
  const kind = 'registration.bind_refused';
  const card = await checkCardAndPin(ctx, input.cardNumber, input.cardPin);
  const customer = await customerById(ctx.db.kysely, customerId);
  const reason = !card
    ? 'card_or_pin'
    : card.customer_id !== customerId
      ? 'card_holder'
      : customer?.id_number_hmac !== idNumberHmac(ctx.config.secret, input.idNumber)
        ? 'id_number'
        : null;
  if (!card || !customer || reason) throw await refuse(ctx, { kind, reason: reason ?? 'customer', ip, customerId });
  await withTransaction(ctx.db.kysely, async (trx) => {
    const nowMs = ctx.clock.nowMs();
    await markCardBound(trx, customerId, card.id, nowMs);
    const last4 = (card.card_number ?? card.account_number).slice(-4);
    await enqueueMessage(
      trx,
      {
        channel: 'sms',
        to: customer.mobile,
        purpose: 'registration.card_bound',
        text: smsText('registration.card_bound', { cardLast4: last4 }),
      },
      nowMs,
    );
    await appendAudit(trx, {
      kind: 'registration.card_bound',
      atMs: nowMs,
      actor: { type: 'customer', id: customerId },
      subject: { type: 'account', id: card.id },
      ip,
      details: { cardLast4: last4 },
    });
  });
  ctx.kickOutbox();
  return { cardBound: true };
}

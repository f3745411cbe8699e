import type { Tx } from '../database.ts';
import {
  type CounterIssuable,
  issueAtCounter,
  type MediumRow,
  mediumOf,
  passwordCardForPrint,
  revokeAtCounter,
  unlockAtCounter,
} from '../media/index.ts';
import { assert } from '../platform/assert.ts';
import { chinaDateTime } from '../platform/business-day.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { postInboxMessage } from '../notify/index.ts';
import { AppError } from '../platform/errors.ts';
import { BRAND_RED, GREY, INK, letterhead, newPdf } from '../platform/pdf.ts';
import { customerFor } from './customer-ops.ts';
import { counterErrors as errors, statusParams } from './errors.ts';
import { type Executor, paramsOf, perform } from './operations.ts';
import { claimCardPrint, type StaffRow } from './store.ts';

/**
 * Security media at the counter: hand one over (password card, e-password device by serial, U-shield),
 * print a password card once, revoke one. Each is one call into media/ and one counter operation.
 */

type Ip = string | null;

/** A medium as the counter's answers show it (media/schema.ts's MediumItem). */
export function mediumView(medium: MediumRow) {
  return {
    id: medium.id,
    kind: medium.kind,
    status: medium.status,
    ...(medium.serial ? { serial: medium.serial } : {}),
    ...(medium.uses_left !== null ? { usesLeft: medium.uses_left } : {}),
    createdAt: isoTime(medium.created_at_ms),
  };
}

/** Hands a medium over to the customer. */
export async function issueMedium(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  customerId: string,
  input: { kind: CounterIssuable; serial?: string | undefined },
  ip: Ip,
) {
  const customer = await customerFor(trx, customerId);
  if (customer.status === 'closed') throw new AppError(errors['counter.customer_state'], statusParams(customer.status));
  let issued: MediumRow | undefined;
  const done = await perform(
    trx,
    ctx,
    staff,
    {
      kind: 'media.issue',
      customerId: customer.id,
      params: { kind: input.kind, ...(input.serial ? { serial: input.serial } : {}) },
    },
    {
      ip,
      needsApproval: false,
      execute: async (inner) => {
        const outcome = await issueAtCounter(inner, ctx, customer.id, input.kind, input.serial);
        if (!outcome.ok) throw new AppError(errors['counter.serial_taken']);
        issued = outcome.medium;
        await postInboxMessage(
          inner,
          {
            customerId: customer.id,
            kind: 'media.added',
            params: { medium: issued.kind, ...(issued.serial ? { serial: issued.serial } : {}) },
          },
          ctx.clock.nowMs(),
        );
        return { result: { mediumId: issued.id, kind: issued.kind, serial: issued.serial } };
      },
    },
  );
  assert(done.status === 'completed' && issued, 'issuing a medium needs no approval');
  return { ...mediumView(issued), operationId: done.operationId };
}

/** Revokes a medium (lost, damaged or returned): it answers no challenge from now on. */
export async function revokeMedium(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  mediumId: string,
  reason: string,
  ip: Ip,
) {
  const medium = await mediumOf(trx, mediumId);
  if (!medium || medium.kind === 'sms') throw new AppError(errors['counter.medium_not_found']);
  return perform(
    trx,
    ctx,
    staff,
    {
      kind: 'media.revoke',
      customerId: medium.customer_id,
      params: { reason, kind: medium.kind, serial: medium.serial },
    },
    {
      ip,
      needsApproval: false,
      execute: async (inner) => {
        const before = await revokeAtCounter(inner, ctx, medium.id, reason);
        await postInboxMessage(
          inner,
          {
            customerId: medium.customer_id,
            kind: 'media.removed',
            params: { medium: medium.kind, ...(medium.serial ? { serial: medium.serial } : {}) },
          },
          ctx.clock.nowMs(),
        );
        return { result: { previousStatus: before?.status ?? null } };
      },
    },
  );
}

/**
 * Reissues a medium (补发): the damaged or lost one is revoked and a new one of the same kind handed
 * over, in one operation with one receipt. An e-password device needs the new device's serial; a
 * password card and a U-shield get fresh ones when none is given.
 */
export async function reissueMedium(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  mediumId: string,
  input: { reason: 'lost' | 'damaged'; serial?: string | undefined },
  ip: Ip,
) {
  const old = await mediumOf(trx, mediumId);
  if (!old || !isCounterIssuable(old.kind)) throw new AppError(errors['counter.medium_not_found']);
  const kind = old.kind;
  if (kind === 'e_token' && !input.serial) throw new AppError(errors['counter.serial_required']);
  const customer = await customerFor(trx, old.customer_id);
  if (customer.status === 'closed') throw new AppError(errors['counter.customer_state'], statusParams(customer.status));
  let issued: MediumRow | undefined;
  const done = await perform(
    trx,
    ctx,
    staff,
    {
      kind: 'media.reissue',
      customerId: customer.id,
      params: { reason: input.reason, kind, oldSerial: old.serial, ...(input.serial ? { serial: input.serial } : {}) },
    },
    {
      ip,
      needsApproval: false,
      execute: async (inner) => {
        // Lost is 'lost' with the customer's SMS, as when a lost medium is only revoked.
        await revokeAtCounter(inner, ctx, old.id, input.reason);
        const outcome = await issueAtCounter(inner, ctx, customer.id, kind, input.serial);
        if (!outcome.ok) throw new AppError(errors['counter.serial_taken']);
        issued = outcome.medium;
        return { result: { mediumId: issued.id, kind, serial: issued.serial, replaced: old.serial } };
      },
    },
  );
  assert(done.status === 'completed' && issued, 'reissuing a medium needs no approval');
  return { ...mediumView(issued), operationId: done.operationId };
}

function isCounterIssuable(kind: string): kind is CounterIssuable {
  return kind === 'password_card' || kind === 'e_token' || kind === 'u_shield';
}

/**
 * Unlocks a medium locked by wrong answers. Like unlocking the login, it waits for a supervisor when
 * the customer is under investigation.
 */
export async function unlockMedium(trx: Tx, ctx: AppContext, staff: StaffRow, mediumId: string, ip: Ip) {
  const medium = await mediumOf(trx, mediumId);
  if (!medium || medium.kind === 'sms') throw new AppError(errors['counter.medium_not_found']);
  const customer = await customerFor(trx, medium.customer_id);
  return perform(
    trx,
    ctx,
    staff,
    {
      kind: 'media.unlock',
      customerId: customer.id,
      params: { mediumId: medium.id, kind: medium.kind, serial: medium.serial },
    },
    { ip, needsApproval: customer.status === 'under_investigation', execute: executeMediumUnlock },
  );
}

const executeMediumUnlock: Executor = async (trx, ctx, op) => {
  const { mediumId } = paramsOf<{ mediumId: string }>(op);
  const before = await unlockAtCounter(trx, ctx, mediumId);
  return { result: { wasLocked: before?.status === 'locked' } };
};

/** The effects of media operations that may wait for approval (executors.ts). */
export const mediaExecutors: Record<string, Executor> = { 'media.unlock': executeMediumUnlock };

/**
 * The printable password card, once: the grid is the card's secret, so a second print is refused
 * (`counter.card_printed`); a card whose print went wrong is revoked and a new one issued.
 */
export async function printPasswordCard(
  trx: Tx,
  ctx: AppContext,
  staff: StaffRow,
  mediumId: string,
  ip: Ip,
): Promise<Buffer> {
  const medium = await mediumOf(trx, mediumId);
  const grid = medium ? passwordCardForPrint(ctx, medium) : undefined;
  if (!medium || !grid) throw new AppError(errors['counter.medium_not_found']);
  if (medium.status !== 'active') throw new AppError(errors['counter.card_printed']);
  if (!(await claimCardPrint(trx, medium.id, staff.id, ctx.clock.nowMs())))
    throw new AppError(errors['counter.card_printed']);
  const customer = await customerFor(trx, medium.customer_id);
  await perform(
    trx,
    ctx,
    staff,
    { kind: 'media.card_print', customerId: customer.id, params: { serial: medium.serial } },
    { ip, needsApproval: false, execute: async () => ({ result: { printed: true } }) },
  );
  return renderCard(medium.serial ?? '', customer.name, grid, ctx.clock.nowMs());
}

const COLUMNS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

async function renderCard(serial: string, holder: string, grid: string[][], nowMs: number): Promise<Buffer> {
  const { doc, bytes } = newPdf(`口令卡 ${serial}`);
  letterhead(doc, '网上银行口令卡', 'Password Card');
  doc.font('regular').fontSize(11).fillColor(INK);
  doc.text(`序列号 Serial：${serial}`, 64);
  doc.text(`持卡人 Holder：${holder}`, 64);
  doc.text(`打印时间（北京时间）Printed：${chinaDateTime(nowMs)}`, 64);
  doc.moveDown(1);
  const left = 96;
  const top = doc.y;
  const cell = { w: 48, h: 26 };
  doc.font('bold').fontSize(11);
  COLUMNS.forEach((column, c) => {
    doc.text(column, left + (c + 1) * cell.w, top, { width: cell.w, align: 'center' });
  });
  grid.forEach((row, r) => {
    const y = top + (r + 1) * cell.h;
    doc
      .font('bold')
      .fillColor(INK)
      .text(String(r + 1), left, y, { width: cell.w, align: 'center' });
    row.forEach((digits, c) => {
      doc.font('regular').text(digits, left + (c + 1) * cell.w, y, { width: cell.w, align: 'center' });
    });
  });
  doc.y = top + (grid.length + 1) * cell.h + 16;
  doc
    .font('regular')
    .fontSize(9)
    .fillColor(BRAND_RED)
    .text('请妥善保管，刮开涂层后切勿告诉任何人或拍照留存；银行工作人员不会索取口令卡上的数字。', 64, doc.y, {
      width: 460,
    });
  doc
    .fillColor(GREY)
    .text('Keep this card safe; never tell anyone its digits. Bank staff never ask for them.', { width: 460 });
  doc.end();
  return bytes;
}

import { maskNumber } from '../customers/index.ts';
import { isoTime } from '../platform/clock.ts';
import type { Lang } from '../platform/errors.ts';
import { money } from '../platform/money.ts';
import { bankName } from './banks.ts';
import type { AuthorizationView } from '../media/schema.ts';
import type { PayeeView, TransferView } from './schema.ts';
import type { PayeeRow, TransferRow } from './store.ts';

/** A transfer as the API shows it to its owner. */
export function transferView(row: TransferRow, lang: Lang, authorization?: AuthorizationView): TransferView {
  return {
    id: row.id,
    status: row.status,
    kind: row.kind,
    fromAccountId: row.from_account_id,
    payee: {
      name: row.payee_name,
      accountNumber: maskNumber(row.payee_account_number),
      bankCode: row.payee_bank_code,
      bankName: bankName(row.payee_bank_code, lang),
    },
    amount: money(row.amount_fen),
    memo: row.memo,
    createdAt: isoTime(row.created_at_ms),
    completedAt: row.completed_at_ms === null ? null : isoTime(row.completed_at_ms),
    ...(row.reason_code ? { reasonCode: row.reason_code } : {}),
    ...(authorization ? { authorization } : {}),
  };
}

/** A saved payee; the number is masked, and "transfer again" sends its id. */
export function payeeView(row: PayeeRow, lang: Lang): PayeeView {
  return {
    id: row.id,
    name: row.name,
    accountNumber: maskNumber(row.account_number),
    bankCode: row.bank_code,
    bankName: bankName(row.bank_code, lang),
    lastUsedAt: row.last_used_at_ms === null ? null : isoTime(row.last_used_at_ms),
  };
}

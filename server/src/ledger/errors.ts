import { defineErrors } from '../platform/errors.ts';

/** Expected ledger failures. `request.idempotency_conflict` itself is a platform code (platform/errors.ts). */
export const ledgerErrors = defineErrors({
  'payment.insufficient_funds': {
    status: 422,
    zh: '账户可用余额不足。',
    en: 'The available balance of the account is not enough.',
  },
  'ledger.hold_closed': {
    status: 409,
    zh: '该笔冻结款项已处理，不能重复处理。',
    en: 'This hold has already been posted or released.',
  },
  'ledger.already_reversed': {
    status: 409,
    zh: '该笔交易已冲正，不能重复冲正。',
    en: 'This entry has already been reversed.',
  },
  'ledger.reversal_exceeds_original': {
    status: 409,
    zh: '冲正金额累计超过原交易金额。',
    en: 'The reversals would together move back more than the original entry moved.',
  },
  'request.idempotency_in_flight': {
    status: 409,
    zh: '相同的请求正在处理中，请稍后查询结果，不要重复提交。',
    en: 'A request with this Idempotency-Key is still being processed; check its result later instead of resending.',
  },
});

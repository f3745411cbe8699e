import { accountById } from '../customers/index.ts';
import { balancesOf } from '../ledger/index.ts';
import type { AppContext } from '../platform/context.ts';
import { money } from '../platform/money.ts';
import { accountsOfOperator } from './common.ts';
import type { CorpSession } from './sessions.ts';
import { accountsOfEnterprise } from './store.ts';

/** The enterprise's accounts the operator may use (the administrator and viewers: all), with balances. */
export async function enterpriseAccounts(ctx: Pick<AppContext, 'db'>, session: CorpSession) {
  const db = ctx.db.kysely;
  const all = await accountsOfEnterprise(db, session.enterprise.id);
  const mine = new Set(accountsOfOperator(session.operator));
  const wide = session.operator.role === 'admin' || session.operator.role === 'viewer';
  const ids = all.filter((id) => wide || mine.has(id));
  const balances = await balancesOf(db, ids);
  const items = [];
  for (const id of ids) {
    const account = await accountById(db, id);
    const balance = balances.get(id);
    if (!account || !balance) continue;
    // The enterprise's own account numbers are shown in full to its operators: they pay from them.
    items.push({
      id,
      number: account.account_number,
      balance: money(balance.postedFen),
      available: money(balance.availableFen),
    });
  }
  return { items };
}

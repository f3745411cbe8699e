import type { Kysely } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { bankAccountId, ensureBankAccounts, openLedgerAccount, postEntry, vaultCode } from './service.ts';

/** Helpers shared by the ledger's tests: customer accounts funded with cash from branch 0001's vault. */
export const T0 = Date.UTC(2026, 5, 1, 2, 0, 0); // 2026-06-01 10:00 China time

export async function setupBank(db: Kysely<Database>): Promise<string> {
  return withTransaction(db, async (trx) => {
    await ensureBankAccounts(trx, T0, ['0001']);
    return bankAccountId(trx, vaultCode('0001'));
  });
}

/** Opens `count` customer accounts, each credited with `fundFen` from the vault (none when 0). */
export async function openFunded(
  db: Kysely<Database>,
  vaultId: string,
  count: number,
  fundFen: number,
  atMs = T0,
): Promise<string[]> {
  return withTransaction(db, async (trx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = await openLedgerAccount(trx, {
        kind: 'customer',
        name: `客户 ${i}`,
        allowNegative: false,
        nowMs: atMs,
      });
      if (fundFen > 0) await deposit(trx, vaultId, id, fundFen, atMs);
      ids.push(id);
    }
    return ids;
  });
}

export function deposit(trx: Tx, vaultId: string, accountId: string, fen: number, atMs: number) {
  return postEntry(trx, {
    kind: 'cash_deposit',
    reference: `deposit:${accountId}`,
    memo: '现金存入',
    postedAtMs: atMs,
    postings: [
      { accountId: vaultId, amountFen: -fen },
      { accountId, amountFen: fen },
    ],
  });
}

export function transfer(trx: Tx, from: string, to: string, fen: number, atMs: number) {
  return postEntry(trx, {
    kind: 'transfer',
    reference: `t:${from}:${to}`,
    memo: '转账',
    postedAtMs: atMs,
    postings: [
      { accountId: from, amountFen: -fen, counterparty: '李*' },
      { accountId: to, amountFen: fen, counterparty: '张*' },
    ],
  });
}

/** Posted balances of the accounts, in the given order. */
export async function postedOf(db: Kysely<Database>, ids: readonly string[]): Promise<number[]> {
  const rows = await db.selectFrom('ledger_account').select(['id', 'posted_fen']).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r.posted_fen]));
  return ids.map((id) => byId.get(id) ?? Number.NaN);
}

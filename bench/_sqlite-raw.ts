import { randomUUID } from 'node:crypto';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Database } from '../server/src/database.ts';
import { openDatabase } from '../server/src/platform/db/database.ts';
import { createTestApp } from '../server/src/testing/app.ts';
import type { TestCustomer } from '../server/src/testing/bank.ts';
import { signedInClient } from '../server/src/testing/session.ts';
import { BENCH_PASSWORD, BENCH_SECRET } from './_bank.ts';

export type Captured = { sql: string; parameters: readonly unknown[] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Records every statement one own-account transfer runs through the real app (in process, on the
 * benchmark's SQLite file): session lookup, idempotency key, checks, journal entry, balances, audit,
 * answer. These are what the raw loop replays.
 */
export async function captureTransferStatements(url: string, customer: TestCustomer): Promise<Captured[]> {
  const captured: Captured[] = [];
  let capturing = false;
  const handle = openDatabase<Database>(url, {
    onQuery: (sql, parameters) => {
      // Transaction control is the replay's own: one BEGIN IMMEDIATE … COMMIT around each transfer.
      if (capturing && !/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(sql))
        captured.push({ sql, parameters });
    },
  });
  const t = await createTestApp('sqlite', {
    db: { url, handle, drop: async () => {} },
    env: { JINKU_SECRET: BENCH_SECRET },
  });
  try {
    const client = await signedInClient(t, customer, BENCH_PASSWORD);
    const transfer = () =>
      client.post(
        '/api/v1/transfers',
        {
          fromAccountId: customer.accounts[0]!.id,
          payee: { name: customer.name, accountNumber: customer.accounts[1]!.account_number },
          amount: { amount: '0.01', currency: 'CNY' },
        },
        { 'idempotency-key': randomUUID() },
      );
    // The second transfer is the one recorded: as in the load, the session was seen moments ago, so
    // its last-seen time is not written again.
    await transfer();
    capturing = true;
    const answer = await transfer();
    capturing = false;
    if (answer.statusCode !== 201) throw new Error(`capture transfer failed: ${answer.body}`);
  } finally {
    await t.close();
    await handle.close();
  }
  return captured;
}

/**
 * Replays the statements in one BEGIN IMMEDIATE transaction per transfer, with node:sqlite directly
 * (prepared once, WAL, synchronous=FULL as the server runs), for `seconds`; returns transfers per second.
 * Ids the transfer created are drawn afresh each time, so rows stay unique.
 */
export function replayRaw(path: string, statements: Captured[], seconds: number): number {
  const db = new DatabaseSync(path);
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
  );
  // An id is the transfer's own (drawn afresh each time) unless it names a row that already exists.
  const existing = db.prepare(
    `select 1 from customer where id = ?1 union all select 1 from account where id = ?1
     union all select 1 from ledger_account where id = ?1 union all select 1 from session where id = ?1`,
  );
  const fresh = new Set<string>();
  for (const { parameters } of statements) {
    for (const p of parameters) {
      if (typeof p === 'string' && UUID.test(p) && !fresh.has(p) && existing.all(p).length === 0) fresh.add(p);
    }
  }
  const prepared: Array<{ statement: StatementSync; reads: boolean; parameters: readonly unknown[]; sql: string }> =
    statements.map(({ sql, parameters }) => ({
      sql,
      statement: db.prepare(sql),
      reads: /^\s*select/i.test(sql) || /\breturning\b/i.test(sql),
      parameters,
    }));
  // The audit row continues its hash chain: each replayed transfer takes the next sequence number.
  const auditInsert = statements.find((st) => /^\s*insert into "audit_log"/i.test(st.sql));
  const seqColumn = auditInsert
    ? (/\(([^)]*)\)/.exec(auditInsert.sql)?.[1] ?? '').split(',').findIndex((c) => c.trim() === '"seq"')
    : -1;
  const capturedSeq = auditInsert && seqColumn >= 0 ? (auditInsert.parameters[seqColumn] as number) : null;
  // Numbered on from the chain's head now: the API may have appended rows since the capture.
  const headSeq = (db.prepare('select last_seq from audit_chain where chain_id = 0').get() as { last_seq: number })
    .last_seq;
  let count = 0;
  const endAt = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < endAt) {
    const renamed = new Map<string, string>();
    const bind = (p: unknown, sql: string) => {
      if (typeof p === 'boolean') return p ? 1 : 0;
      if (p === capturedSeq && /audit_(log|chain)/.test(sql)) return headSeq + count + 1;
      if (typeof p !== 'string' || !fresh.has(p)) return p;
      const id = renamed.get(p) ?? randomUUID();
      renamed.set(p, id);
      return id;
    };
    db.exec('BEGIN IMMEDIATE');
    for (const { statement, reads, parameters, sql } of prepared) {
      const values = parameters.map((p) => bind(p, sql)) as Array<string | number | null>;
      if (reads) statement.all(...values);
      else statement.run(...values);
    }
    db.exec('COMMIT');
    count++;
  }
  const rate = count / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

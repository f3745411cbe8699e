import { checkLedgerInvariants } from '../ledger/index.ts';
import { openConfiguredDatabase } from './open.ts';

/**
 * `npm run ledger:check`: checks the ledger's invariants (every entry balances, each balance equals the
 * sum of its postings, no customer account below zero, holds add up); exits 1 naming each violation.
 */
const db = openConfiguredDatabase();
try {
  const violations = await checkLedgerInvariants(db.kysely);
  if (violations.length === 0) {
    process.stdout.write('ledger consistent: every entry balances and every balance matches its postings\n');
  } else {
    for (const violation of violations.slice(0, 100)) process.stdout.write(`VIOLATION ${JSON.stringify(violation)}\n`);
    process.stdout.write(`${violations.length} violation(s)\n`);
    process.exitCode = 1;
  }
} finally {
  await db.close();
}

import { parseArgs } from 'node:util';
import { appendAudit } from '../audit/index.ts';
import { endAllSessions, endSessionsOf } from '../auth/index.ts';
import { migrations } from '../migrations.ts';
import { systemClock } from '../platform/clock.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { openConfiguredDatabase } from './open.ts';

/**
 * `npm run sessions -- end --customer <customer id>` or `… end --all`: signs customers out on every
 * instance sharing the database, at once (OWASP ASVS 5.0 7.4.5: an administrator ends one user's sessions
 * or everyone's, e.g. after a suspected leak of session cookies). Each run is one audit row.
 */
const USAGE = 'usage: npm run sessions -- end --customer <customer id> | end --all';
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { customer: { type: 'string' }, all: { type: 'boolean' } },
});
const customerId = values.customer?.trim();
if (positionals[0] !== 'end' || positionals.length !== 1 || Boolean(customerId) === Boolean(values.all)) fail(USAGE);

const clock = systemClock();
const db = openConfiguredDatabase();
try {
  await migrateToLatest(db.kysely, migrations);
  const ended = await withTransaction(db.kysely, async (trx) => {
    const nowMs = clock.nowMs();
    const count = customerId ? await endSessionsOf(trx, { clock }, customerId) : await endAllSessions(trx, { clock });
    await appendAudit(trx, {
      kind: 'system.sessions_ended',
      atMs: nowMs,
      actor: { type: 'system', id: 'cli' },
      ...(customerId ? { subject: { type: 'customer', id: customerId } } : {}),
      details: { scope: customerId ? 'customer' : 'all', count },
    });
    return count;
  });
  process.stdout.write(`ended ${ended} session${ended === 1 ? '' : 's'}\n`);
} finally {
  await db.close();
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

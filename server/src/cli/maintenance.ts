import { parseArgs } from 'node:util';
import { chinaDateTime } from '../platform/business-day.ts';
import { appendAudit } from '../audit/index.ts';
import { endMaintenance, readMaintenance, startMaintenance } from '../auth/index.ts';
import { migrations } from '../migrations.ts';
import { systemClock } from '../platform/clock.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { openConfiguredDatabase } from './open.ts';

/**
 * `npm run maintenance -- on --until 2026-12-01T02:00:00Z --message-zh … --message-en …`, `… off`, `… status`.
 * Puts the customer channels into maintenance (503 with the announcement) on every instance sharing the
 * database; staff routes and health checks keep working.
 */
const USAGE =
  'usage: npm run maintenance -- on [--until <RFC 3339 time>] --message-zh <text> --message-en <text> | off | status';
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { until: { type: 'string' }, 'message-zh': { type: 'string' }, 'message-en': { type: 'string' } },
});
const command = positionals[0];
const db = openConfiguredDatabase();
try {
  await migrateToLatest(db.kysely, migrations);
  const nowMs = systemClock().nowMs();
  if (command === 'on') {
    const untilMs = values.until ? Date.parse(values.until) : null;
    if (untilMs !== null && (Number.isNaN(untilMs) || untilMs <= nowMs))
      fail(`--until must be a future RFC 3339 time\n${USAGE}`);
    const messageZh = values['message-zh']?.trim();
    const messageEn = values['message-en']?.trim();
    if (!messageZh || !messageEn) fail(`both --message-zh and --message-en are needed\n${USAGE}`);
    await withTransaction(db.kysely, async (trx) => {
      await startMaintenance(trx, { messageZh, messageEn, untilMs }, nowMs);
      await appendAudit(trx, {
        kind: 'system.maintenance_on',
        atMs: nowMs,
        actor: { type: 'system', id: 'cli' },
        details: { untilMs },
      });
    });
    process.stdout.write(`maintenance ON${untilMs ? ` until ${chinaDateTime(untilMs)} (Beijing time)` : ''}\n`);
  } else if (command === 'off') {
    await withTransaction(db.kysely, async (trx) => {
      await endMaintenance(trx);
      await appendAudit(trx, { kind: 'system.maintenance_off', atMs: nowMs, actor: { type: 'system', id: 'cli' } });
    });
    process.stdout.write('maintenance OFF\n');
  } else if (command === 'status') {
    const current = await readMaintenance(db.kysely, nowMs);
    process.stdout.write(
      current
        ? `maintenance ON${current.untilMs ? ` until ${chinaDateTime(current.untilMs)} (Beijing time)` : ''}: ${current.messageZh} / ${current.messageEn}\n`
        : 'maintenance OFF\n',
    );
  } else {
    fail(USAGE);
  }
} finally {
  await db.close();
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

// First: sizes libuv's thread pool before anything uses it.
import './platform/thread-pool.ts';
import { buildApp } from './app.ts';
import type { Database } from './database.ts';
import { startCorporateWorker } from './corporate/index.ts';
import { DEMO_BRANCH, seedDemoBank } from './demo/seed.ts';
import { purgeAuthLeftovers } from './auth/index.ts';
import { ensureBankAccounts, purgeExpiredIdempotencyKeys } from './ledger/index.ts';
import { purgeOldSmsCodes } from './media/index.ts';
import { startHousekeeping } from './platform/housekeeping.ts';
import { demoShop, startGatewayNotifier } from './merchants/index.ts';
import { startClearingWorker } from './payments/index.ts';
import { withTransaction } from './platform/db/transaction.ts';
import { migrations } from './migrations.ts';
import { purgeRegistrationLeftovers } from './registration/index.ts';
import { purgeStaffKeyLogins } from './counter/index.ts';
import { devAdapter, httpGatewayAdapter, startOutboxWorker } from './notify/index.ts';
import { systemClock } from './platform/clock.ts';
import { ConfigError, loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrate.ts';

/** How often expired rows (idempotency keys, captchas, codes, attempts) are deleted. */
const HOUSEKEEPING_INTERVAL_MS = 3600_000;

/** How often the clearing simulator looks for inter-bank transfers to settle or return. */
const CLEARING_POLL_MS = 1000;

/** How often the corporate job loop expires instructions, resumes payroll batches and answers their clearing. */
const CORPORATE_POLL_MS = 1000;

/** How often the merchant notify worker looks for notifications due (a payment also wakes it at once). */
const GATEWAY_NOTIFY_POLL_MS = 1000;

/** Reads the configuration, opens and migrates the database, seeds the demo bank, and listens. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // The log exists once the app does; a connection that breaks before then only needs no crash.
  let log: { warn(details: object, message: string): void } | null = null;
  const db = openDatabase<Database>(config.databaseUrl, {
    poolSize: config.pgPoolSize,
    onConnectionError: (error) => log?.warn({ err: error }, 'database connection lost; the pool replaces it'),
  });
  await migrateToLatest(db.kysely, migrations);
  const clock = systemClock();
  const gateway = process.env.JINKU_SMS_GATEWAY_URL;
  const adapter = gateway ? httpGatewayAdapter(gateway) : devAdapter;
  let worker: ReturnType<typeof startOutboxWorker> | undefined;
  let notifier: ReturnType<typeof startGatewayNotifier> | undefined;
  const kickOutbox = () => {
    worker?.kick();
    notifier?.kick();
  };
  const app = await buildApp({ config, db, clock, kickOutbox });
  log = app.log;
  worker = startOutboxWorker(
    db.kysely,
    adapter,
    () => clock.nowMs(),
    config.outboxPollIntervalMs,
    (error) => app.log.error({ err: error }, 'outbox delivery failed'),
  );
  // The bank's own ledger accounts (vault, clearing, reserve…) exist before any money moves.
  await withTransaction(db.kysely, (trx) => ensureBankAccounts(trx, clock.nowMs(), [DEMO_BRANCH]));
  // Corporate jobs (issue 19): lapsed instructions expire, payroll batches cut short by a crash post their
  // remaining lines (each once), payroll lines to other banks get clearing's answer.
  const corporate = startCorporateWorker({ config, db, clock }, CORPORATE_POLL_MS, (error) =>
    app.log.error({ err: error }, 'corporate jobs failed'),
  );
  notifier = startGatewayNotifier(db.kysely, { config, clock, log: app.log }, GATEWAY_NOTIFY_POLL_MS, (error) =>
    app.log.error({ err: error }, 'merchant notify delivery failed'),
  );
  const clearing = startClearingWorker(db.kysely, { config, clock }, CLEARING_POLL_MS, (error) =>
    app.log.error({ err: error }, 'clearing failed'),
  );
  const housekeeping = startHousekeeping(
    db.kysely,
    () => clock.nowMs(),
    [
      purgeExpiredIdempotencyKeys,
      purgeAuthLeftovers,
      purgeOldSmsCodes,
      purgeRegistrationLeftovers,
      purgeStaffKeyLogins,
    ],
    HOUSEKEEPING_INTERVAL_MS,
    (error) => app.log.error({ err: error }, 'housekeeping failed'),
  );
  if (config.demo) {
    const seeded = await seedDemoBank({ config, db, clock, kickOutbox });
    app.log.info({ demo: seeded.identities }, seeded.created ? 'demo bank seeded' : 'demo bank present');
    for (const line of seeded.identities) app.log.info(`demo: ${line}`);
    // The demo shop (/dev/shop) is a merchant of the demo bank with its own key pair.
    app.log.info({ appId: (await demoShop(db.kysely, { config, clock })).appId }, 'demo shop at /dev/shop');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // Stop accepting, let in-flight requests finish, then stop the worker and close the database.
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close();
    clearing.stop();
    await corporate.stop();
    housekeeping.stop();
    await worker?.stop();
    await notifier?.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const address = await app.listen({ host: config.host, port: config.port });
  // Only once serving: a failure while starting should still end the process with its error.
  keepRunningOnStrayErrors(app.log);
  app.log.info(
    { address, database: db.dialect, env: config.env },
    `Jinku ready at ${address.replace('[::1]', 'localhost')} on ${db.dialect}`,
  );
}

/**
 * A stray error must not take the bank offline (issue 21): a promise nobody awaited, or an 'error' event
 * nobody listens for, is logged and the process goes on serving. Requests are unaffected: each one's own
 * errors go through the app's error handler and are answered there, once.
 */
function keepRunningOnStrayErrors(logger: { error(details: object, message: string): void }) {
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (error, origin) => logger.error({ err: error, origin }, 'uncaught exception'));
}

await main();

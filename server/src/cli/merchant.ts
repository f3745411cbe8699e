import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { appendAudit } from '../audit/index.ts';
import type { Database } from '../database.ts';
import {
  BANK_KEY_OVERLAP_MS,
  isStatementDate,
  listMerchants,
  merchantByAppId,
  merchantStatementCsv,
  registerMerchant,
  rotateBankKey,
  settlementAccountNumber,
} from '../merchants/index.ts';
import { migrations } from '../migrations.ts';
import { systemClock } from '../platform/clock.ts';
import { type Config, ConfigError, loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import { AppError, messageFor } from '../platform/errors.ts';

/**
 * `npm run merchant -- add --name <name> --settlement-account <account number> --public-key <PEM file>
 * [--sign-type RSA2] [--notify-url-prefix <url>]` registers a merchant and prints its app_id (nothing
 * secret: the merchant keeps its private key); `npm run merchant -- list` lists the merchants;
 * `npm run merchant -- statement --app-id … --date …` writes the day's CSV of payments and refunds (to
 * stdout, or --out <file>), the same file the merchant downloads through the gateway API;
 * `npm run merchant -- rotate-bank-key` makes a new bank signing key the current one and prints its
 * version (the replaced key stays available to merchants for the overlap, BANK_KEY_OVERLAP_MS).
 */
const USAGE = `usage: npm run merchant -- add --name <name> --settlement-account <account number> --public-key <PEM file> [--sign-type RSA2] [--notify-url-prefix <url>]
       npm run merchant -- list
       npm run merchant -- statement --app-id <app_id> --date <yyyy-MM-dd> [--out <file>]
       npm run merchant -- rotate-bank-key`;

let parsed: ReturnType<typeof parse>;
try {
  parsed = parse();
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
}
const { positionals, values } = parsed;
const command = positionals[0];
const COMMANDS = ['add', 'list', 'statement', 'rotate-bank-key'];
if (positionals.length !== 1 || !COMMANDS.includes(command ?? '')) fail(USAGE);
const config = configOrExit();
const db = openDatabase<Database>(config.databaseUrl, { poolSize: 2 });
try {
  await migrateToLatest(db.kysely, migrations);
  const clock = systemClock();
  if (command === 'add') {
    const { name, 'settlement-account': account, 'public-key': keyFile } = values;
    if (!name || !account || !keyFile) fail(`--name, --settlement-account and --public-key are needed\n${USAGE}`);
    let publicKeyPem: string;
    try {
      publicKeyPem = readFileSync(keyFile, 'utf8');
    } catch {
      fail(`cannot read the public key file ${keyFile}`);
    }
    const appId = await withTransaction(db.kysely, async (trx) => {
      const id = await registerMerchant(
        trx,
        { config, clock },
        {
          name,
          settlementAccountNumber: account,
          publicKeyPem,
          ...(values['sign-type'] ? { signType: values['sign-type'] } : {}),
          ...(values['notify-url-prefix'] ? { notifyUrlPrefix: values['notify-url-prefix'] } : {}),
        },
      );
      await appendAudit(trx, {
        kind: 'merchant.registered',
        atMs: clock.nowMs(),
        actor: { type: 'system', id: 'cli' },
        subject: { type: 'merchant', id },
        details: { name },
      });
      return id;
    });
    process.stdout.write(`${appId}\n`);
  } else if (command === 'rotate-bank-key') {
    const version = await rotateBankKey(db.kysely, { config, clock });
    await withTransaction(db.kysely, (trx) =>
      appendAudit(trx, {
        kind: 'gateway.bank_key_rotated',
        atMs: clock.nowMs(),
        actor: { type: 'system', id: 'cli' },
        subject: { type: 'bank_key', id: String(version) },
        details: { version },
      }),
    );
    process.stdout.write(
      `bank key version ${version} is now current; the previous one is served for ${BANK_KEY_OVERLAP_MS / 86_400_000} days\n`,
    );
  } else if (command === 'statement') {
    const { 'app-id': appId, date, out } = values;
    if (!appId || !date || !isStatementDate(date)) fail(`--app-id and --date yyyy-MM-dd are needed\n${USAGE}`);
    if (!(await merchantByAppId(db.kysely, appId))) fail(`no merchant with app_id ${appId}`);
    const csv = await merchantStatementCsv(db.kysely, appId, date);
    if (out) writeFileSync(out, csv, 'utf8');
    else process.stdout.write(csv);
  } else {
    for (const merchant of await listMerchants(db.kysely)) {
      const number = await settlementAccountNumber(db.kysely, merchant);
      process.stdout.write(
        `${merchant.app_id}\t${merchant.status}\t${merchant.sign_type}\t${number}\t${merchant.name}\n`,
      );
    }
  }
} catch (error) {
  if (error instanceof AppError && error.registered) {
    process.stderr.write(`${messageFor(error.code, 'en', { ...error.params }) ?? error.code}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`merchant failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
} finally {
  await db.close();
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'settlement-account': { type: 'string' },
      'public-key': { type: 'string' },
      'sign-type': { type: 'string' },
      'notify-url-prefix': { type: 'string' },
      'app-id': { type: 'string' },
      date: { type: 'string' },
      out: { type: 'string' },
    },
  });
}

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { findPgBindir } from '../../../scripts/pg-cluster.ts';
import { verifyAuditLog } from '../audit/index.ts';
import type { Database } from '../database.ts';
import { checkLedgerInvariants } from '../ledger/index.ts';
import { openDatabase } from '../platform/db/database.ts';

/**
 * `npm run backup -- <file>` copies the configured database (DATABASE_URL) while it serves: SQLite with
 * `VACUUM INTO` (a consistent snapshot taken inside one read transaction), PostgreSQL with `pg_dump`
 * in its custom format. `npm run backup -- restore <file> --to <url>` puts a backup into a new SQLite
 * file or an empty PostgreSQL database, and reports success only when the restored copy passes the
 * ledger check and the audit chain verification (exit 1 naming what failed).
 */
const args = process.argv.slice(2);
if (args[0] === 'restore') {
  const file = args[1];
  const to = args[args.indexOf('--to') + 1];
  if (!file || !to || !args.includes('--to')) usage();
  process.exitCode = await restore(resolve(file), to);
} else {
  const file = args[0];
  const url = process.env.DATABASE_URL ?? 'sqlite:./data/jinku.db';
  if (!file) usage();
  backup(url, resolve(file));
  process.stdout.write(`backup written to ${file}\n`);
}

function backup(url: string, file: string) {
  if (existsSync(file)) fail(`${file} exists: choose a new file`);
  if (url.startsWith('sqlite:')) {
    const db = new DatabaseSync(url.slice('sqlite:'.length));
    try {
      db.prepare('vacuum into ?').run(file);
    } finally {
      db.close();
    }
    return;
  }
  execFileSync(pgTool('pg_dump'), ['--format=custom', '--no-owner', '--file', file, url], { stdio: 'inherit' });
}

async function restore(file: string, to: string): Promise<number> {
  if (!existsSync(file)) fail(`${file} not found`);
  if (to.startsWith('sqlite:')) {
    const target = to.slice('sqlite:'.length);
    if (existsSync(target)) fail(`${target} exists: restore into a new file`);
    copyFileSync(file, target);
  } else {
    execFileSync(pgTool('pg_restore'), ['--no-owner', '--exit-on-error', '--dbname', to, file], { stdio: 'inherit' });
  }
  const db = openDatabase<Database>(to, { poolSize: 2 });
  try {
    const violations = await checkLedgerInvariants(db.kysely);
    const audit = await verifyAuditLog(db.kysely);
    for (const violation of violations.slice(0, 100)) process.stdout.write(`VIOLATION ${JSON.stringify(violation)}\n`);
    if (!audit.ok) process.stdout.write(`audit log BROKEN: ${JSON.stringify(audit.broken)}\n`);
    if (violations.length > 0 || !audit.ok) {
      process.stdout.write('restore FAILED its checks: do not use this copy\n');
      return 1;
    }
    process.stdout.write(
      `restored and checked: ledger consistent, audit log intact (${audit.rows} rows in ${audit.chains} chain(s))\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

/** pg_dump and pg_restore from PostgreSQL's own binaries, else from PATH. */
function pgTool(name: string): string {
  const bindir = findPgBindir();
  return bindir && existsSync(join(bindir, name)) ? join(bindir, name) : name;
}

function usage(): never {
  fail('usage: npm run backup -- <file>   |   npm run backup -- restore <file> --to <sqlite:path | postgres://…>');
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

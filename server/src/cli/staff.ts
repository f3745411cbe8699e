import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { addStaff, disableStaff, listStaff, resetStaffTotp, type TotpHandOver, unlockStaff } from '../counter/index.ts';
import type { Database } from '../database.ts';
import { migrations } from '../migrations.ts';
import { systemClock } from '../platform/clock.ts';
import { type Config, ConfigError, loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';

/**
 * `npm run staff -- add --username <u> --name <name> --role teller|supervisor|admin --branch <0001>
 * [--password-file <file>]` adds a staff member with the initial password (the file's first line, or
 * the first line of stdin) and prints the new TOTP secret and its otpauth:// URL, once: nothing else
 * ever shows them. `list`, `unlock --username`, `disable --username` and `reset-totp --username` (a new
 * secret, printed once) look after them. Exit 2 for a usage error, 1 for a refusal.
 */
const USAGE = `usage: npm run staff -- add --username <u> --name <name> --role teller|supervisor|admin --branch <0001> [--password-file <file>]
       npm run staff -- list
       npm run staff -- unlock --username <u>
       npm run staff -- disable --username <u>
       npm run staff -- reset-totp --username <u>
(add reads the initial password from --password-file or the first line of stdin)`;
const COMMANDS = ['add', 'list', 'unlock', 'disable', 'reset-totp'] as const;

let parsed: ReturnType<typeof parse>;
try {
  parsed = parse();
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
}
const { positionals, values } = parsed;
const command = positionals[0] as (typeof COMMANDS)[number];
if (positionals.length !== 1 || !COMMANDS.includes(command)) fail(USAGE);
if (command !== 'list' && !values.username) fail(`--username is needed\n${USAGE}`);
if (command === 'add' && (!values.name || !values.role || !values.branch))
  fail(`--name, --role and --branch are needed\n${USAGE}`);
const password = command === 'add' ? readPassword(values['password-file']) : '';
const config = configOrExit();
const db = openDatabase<Database>(config.databaseUrl, { poolSize: 2 });
try {
  await migrateToLatest(db.kysely, migrations);
  const deps = { config, clock: systemClock() };
  const username = values.username ?? '';
  if (command === 'list') {
    for (const s of await listStaff(db.kysely, deps)) {
      const status = s.status === 'active' && s.locked ? 'locked' : s.status;
      process.stdout.write(`${s.username}\t${s.role}\t${s.branch_code}\t${status}\t${s.name}\n`);
    }
  } else {
    const result =
      command === 'add'
        ? await addStaff(db.kysely, deps, {
            username,
            name: values.name ?? '',
            role: values.role ?? '',
            branchCode: values.branch ?? '',
            password,
          })
        : command === 'unlock'
          ? await unlockStaff(db.kysely, deps, username)
          : command === 'disable'
            ? await disableStaff(db.kysely, deps, username)
            : await resetStaffTotp(db.kysely, deps, username);
    if (!result.ok) {
      process.stderr.write(`${result.reason}\n`);
      process.exitCode = 1;
    } else if (result.value) {
      printHandOver(result.value);
    } else {
      process.stdout.write(`${command}: done for ${username}\n`);
    }
  }
} catch (error) {
  process.stderr.write(`staff failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}

/** The secret is printed once for the new authenticator, never logged or stored in the clear. */
function printHandOver(handOver: TotpHandOver) {
  process.stdout.write(
    `staff id: ${handOver.id}\nTOTP secret (shown once): ${handOver.totpSecret}\notpauth URL: ${handOver.otpauthUrl}\n`,
  );
}

function readPassword(file: string | undefined): string {
  let text: string;
  try {
    text = readFileSync(file ?? 0, 'utf8');
  } catch {
    fail(file ? `cannot read the password file ${file}` : 'cannot read the password from stdin');
  }
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (first.length === 0) fail('the initial password is empty');
  return first;
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      branch: { type: 'string' },
      'password-file': { type: 'string' },
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

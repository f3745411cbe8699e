import type { Database } from '../database.ts';
import { eTokenAnswer } from '../media/index.ts';
import { systemClock } from '../platform/clock.ts';
import { ConfigError, type Config, loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { readSetting } from '../platform/settings-store.ts';

/**
 * `npm run e-token -- <serial> <challenge>`: the e-password device simulator (API.md, "Authorization").
 * Prints the 6 digits the device with this serial would show for an 8-digit challenge now, reading its
 * seed from the configured database. Outside production only: in production the seeds stay sealed.
 */
const USAGE = 'usage: npm run e-token -- <serial> <8-digit challenge>';
// The dev clock's offset (platform/dev-clock.ts keeps it under this key): the device agrees with a
// server whose clock a test moved forward, as the OCRA time step (T1M) must.
const DEV_CLOCK_OFFSET_KEY = 'dev.clock_offset_ms';

const [serial, challenge, ...rest] = process.argv.slice(2);
if (!serial || !challenge || rest.length > 0) fail(USAGE);
if (!/^[A-Z0-9]{1,32}$/.test(serial)) fail(`not a device serial: ${serial}\n${USAGE}`);
if (!/^\d{8}$/.test(challenge)) fail(`the challenge is 8 digits: ${challenge}\n${USAGE}`);
const config = configOrExit();
if (config.env === 'production') fail('npm run e-token is refused in production: device seeds never leave the bank');
const db = openDatabase<Database>(config.databaseUrl, { poolSize: 1 });
try {
  const clock = systemClock();
  clock.setOffset(Number((await readSetting(db.kysely, DEV_CLOCK_OFFSET_KEY)) ?? 0));
  const answer = await eTokenAnswer(db.kysely, { config, clock }, serial, challenge);
  if (answer === null) {
    process.stderr.write(`no e-password device with serial ${serial}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${answer}\n`);
  }
} catch (error) {
  // One line for the operator, e.g. a database without its tables or a seed sealed under another secret.
  process.stderr.write(`e-token failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
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

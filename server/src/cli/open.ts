import type { Database } from '../database.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { type DatabaseHandle, openDatabase } from '../platform/db/database.ts';

/** Opens the configured database for an operator command, or exits with the configuration's problems. */
export function openConfiguredDatabase(): DatabaseHandle<Database> {
  try {
    const config = loadConfig();
    return openDatabase<Database>(config.databaseUrl, { poolSize: 2 });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

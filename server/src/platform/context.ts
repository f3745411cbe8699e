import type { Config } from './config.ts';
import type { Clock } from './clock.ts';
import type { DatabaseHandle } from './db/database.ts';
import type { Database } from '../database.ts';

/** What every domain's routes and services are given: no globals, so tests build as many apps as they like. */
export type AppContext = {
  readonly config: Config;
  readonly db: DatabaseHandle<Database>;
  readonly clock: Clock;
  /** Wakes the outbox worker after a commit that queued messages (a no-op when no worker runs). */
  readonly kickOutbox: () => void;
};

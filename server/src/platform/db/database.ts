import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, PostgresDialect, SqliteAdapter, sql } from 'kysely';
import pg from 'pg';
import { openSqlite, SqlitePlugin } from './sqlite-adapter.ts';
import { TwoConnectionSqliteDialect } from './sqlite-driver.ts';

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the Kysely instance plus what the platform needs to know about it. */
export type DatabaseHandle<DB> = {
  readonly kysely: Kysely<DB>;
  readonly dialect: Dialect;
  /** Connections in use / idle / waiting; null for SQLite's single connection. */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  close(): Promise<void>;
};

/** Opens `sqlite:<path>` (use `sqlite::memory:` for a throwaway database) or `postgres://…`. */
export type OpenOptions = {
  poolSize?: number;
  /** Called with every statement run (the SQLite benchmark records one transfer's statements to replay them). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
  /** Told of every PostgreSQL connection that breaks, idle or checked out (for the log); the pool replaces it. */
  onConnectionError?: (error: Error) => void;
};

export function openDatabase<DB>(url: string, options: OpenOptions = {}): DatabaseHandle<DB> {
  if (url.startsWith('sqlite:')) return openSqliteDatabase<DB>(url.slice('sqlite:'.length), options.onQuery);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return openPostgresDatabase<DB>(url, options.poolSize ?? 10, options.onQuery, options.onConnectionError);
  }
  throw new Error('DATABASE_URL must start with sqlite: or postgres://');
}

function openSqliteDatabase<DB>(path: string, onQuery: OpenOptions['onQuery']): DatabaseHandle<DB> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const writer = openSqlite(path);
  const reader = path === ':memory:' ? null : openSqlite(path, { readOnly: true });
  const kysely = new Kysely<DB>({
    dialect: new TwoConnectionSqliteDialect(writer, reader),
    plugins: [new SqlitePlugin()],
    ...(onQuery ? { log: (event) => onQuery(event.query.sql, event.query.parameters) } : {}),
  });
  return {
    kysely,
    dialect: 'sqlite',
    poolStats: () => null,
    close: () => kysely.destroy(),
  };
}

// PostgreSQL's int8 (bigint: money in fen, times in ms, counts) arrives as a string by default so that
// nothing is silently rounded; our values stay far below 2^53, and this parser refuses any that do not.
const INT8_OID = 20;
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is outside the safe integer range`);
  return value;
}

function openPostgresDatabase<DB>(
  url: string,
  poolSize: number,
  onQuery: OpenOptions['onQuery'],
  onConnectionError: (error: Error) => void = () => {},
): DatabaseHandle<DB> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A broken connection must not end the process (issue 21). pg emits 'error' on the Client, and an
  // EventEmitter's 'error' with no listener is thrown: the pool listens only while a client is idle, so
  // each client gets its own listener for its whole life, checked out or not. The query in flight is
  // rejected on its own, and the pool drops a client that is no longer queryable when it is released.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', onConnectionError);
    prepareStatementsOf(client);
  });
  const kysely = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    ...(onQuery ? { log: (event) => onQuery(event.query.sql, event.query.parameters) } : {}),
  });
  return {
    kysely,
    dialect: 'postgres',
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => kysely.destroy(),
  };
}

/**
 * Kysely sends every query unnamed, so PostgreSQL parses and plans it anew each time. Named, a
 * statement is parsed once per connection and then only bound and run: less work for the server on
 * every request. The names come from a bounded table of statement texts, so a stream of one-off texts
 * cannot make connections hold ever more prepared statements (texts beyond it go unnamed).
 */
const STATEMENT_NAMES_LIMIT = 2000;
const statementNames = new Map<string, string>();

function prepareStatementsOf(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || args.length !== 2) return query(...args);
    let name = statementNames.get(text);
    if (name === undefined && statementNames.size < STATEMENT_NAMES_LIMIT) {
      name = `jinku_${statementNames.size}`;
      statementNames.set(text, name);
    }
    return name === undefined ? query(text, values) : query({ name, text, values });
  };
}

/** Runs a trivial query: the readiness check. */
export async function pingDatabase<DB>(kysely: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(kysely);
}

/** Which dialect a Kysely instance or transaction talks to, for the few queries that differ. */
export function dialectOf<DB>(kysely: Kysely<DB>): Dialect {
  return kysely.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

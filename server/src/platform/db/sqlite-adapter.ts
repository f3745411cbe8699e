import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  type KyselyPlugin,
  LimitNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type SelectQueryNode,
  type SqliteDatabase,
  type SqliteStatement,
  type UnknownRow,
  ValueNode,
} from 'kysely';

const STATEMENT_CACHE_LIMIT = 500;

/**
 * Adapts Node's built-in `node:sqlite` to the small interface Kysely's SqliteDialect expects, with a
 * bounded cache of prepared statements (Kysely prepares every query anew, which costs more than many
 * of our queries take to run).
 */
export function openSqlite(path: string, options: { readOnly?: boolean } = {}): SqliteDatabase {
  if (options.readOnly) return adapt(new DatabaseSync(path, { timeout: 5000, readOnly: true }));
  const raw = new DatabaseSync(path, { timeout: 5000 });
  // WAL lets readers run beside the writer; synchronous=FULL because a bank must not lose an acknowledged
  // payment on power loss; foreign keys are off by default in SQLite.
  raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
  return adapt(raw);
}

function adapt(raw: DatabaseSync): SqliteDatabase {
  // Each statement with whether it returns rows (asking SQLite for the columns on every run costs time too).
  const cache = new Map<string, { statement: StatementSync; reader: boolean }>();
  const prepare = (sql: string) => {
    let entry = cache.get(sql);
    if (!entry) {
      const statement = raw.prepare(sql);
      entry = { statement, reader: statement.columns().length > 0 };
      if (cache.size >= STATEMENT_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(sql, entry);
    }
    return entry;
  };
  const database: SqliteDatabase = {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare: (sql: string): SqliteStatement => {
      // Kysely opens transactions with a plain BEGIN. IMMEDIATE takes the write lock at once, so a second
      // process (the migrate CLI, a maintenance command) waits on busy_timeout instead of failing mid-way.
      const { statement, reader } = prepare(sql === 'begin' ? 'begin immediate' : sql);
      const params = (parameters: ReadonlyArray<unknown>) => parameters.map(toSqliteValue);
      return {
        reader,
        all: (parameters) => statement.all(...params(parameters)),
        run: (parameters) => statement.run(...params(parameters)),
        iterate: (parameters) => statement.iterate(...params(parameters)),
      };
    },
  };
  return database;
}

function toSqliteValue(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value as SQLInputValue;
}

/**
 * Rewrites each select for SQLite before it is compiled: one plugin, so each query takes one pass and
 * one result hop through Kysely's plugin chain.
 */
export class SqlitePlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (node.kind !== 'SelectQueryNode') return node;
    return withLiteralLimit(withoutLockClauses(node));
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * Drops row-locking clauses (FOR UPDATE, SKIP LOCKED), for which SQLite has no syntax: there every write
 * transaction already holds the one database-wide write lock (BEGIN IMMEDIATE), so the rows are as
 * locked as PostgreSQL's FOR UPDATE would make them.
 */
function withoutLockClauses(node: SelectQueryNode): SelectQueryNode {
  if (!node.endModifiers) return node;
  const endModifiers = node.endModifiers.filter(
    (m) => !(m.kind === 'SelectModifierNode' && m.modifier && LOCK_MODIFIERS.has(m.modifier)),
  );
  return { ...node, endModifiers };
}

const LOCK_MODIFIERS = new Set(['ForUpdate', 'ForShare', 'ForKeyShare', 'ForNoKeyUpdate', 'SkipLocked', 'NoWait']);

/**
 * Writes the LIMIT into the SQL as a number instead of a bound parameter. SQLite's planner looks at a
 * bound LIMIT's value, so such a statement is compiled again on every run: a cached statement of ours
 * then cost 75 µs instead of 11 (the sign-in's "seen this network before" query). Only whole numbers
 * are written in, so nothing can be injected; page sizes a client may choose are bounded by their
 * schemas (at most 200), so the statement cache still holds every variant.
 */
function withLiteralLimit(node: SelectQueryNode): SelectQueryNode {
  if (!node.limit || !ValueNode.is(node.limit.limit)) return node;
  const value = node.limit.limit.value;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return node;
  return { ...node, limit: LimitNode.create(ValueNode.createImmediate(value)) };
}

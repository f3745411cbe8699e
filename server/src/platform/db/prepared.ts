import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import { type Dialect, dialectOf } from './database.ts';

/**
 * A query built with Kysely once and compiled once per dialect, then run with new values: Kysely's
 * "split building and execution" recipe, with named values. Kysely otherwise builds and compiles every
 * query anew on each call, and on a hot path that costs more than the database: building a sign-in's
 * thirteen statements took 17–28 % of the event loop's time for it, running them in SQLite 25 µs.
 *
 * The query is written as usual, with `args.name` wherever a value goes:
 *
 *   const sessionByToken = preparedQuery((db: Kysely<Database>, args: { tokenHash: string }) =>
 *     db.selectFrom('session').selectAll().where('token_hash', '=', args.tokenHash));
 *   const row = await sessionByToken.first(trx, { tokenHash });
 *
 * While it is built, each `args.name` is a stand-in that Kysely binds as a parameter; at each run the
 * stand-ins are replaced by the values given. So a value may only stand where Kysely binds a parameter
 * (not as a list for `in`), and the query's shape may not depend on it; building checks that every
 * stand-in came out as a parameter. Keep a LIMIT constant: SQLite gets it written into the SQL
 * (sqlite-adapter.ts), where a bound one would be planned again on every run.
 */
export function preparedQuery<DB, A extends Record<string, unknown>, O>(
  build: (db: Kysely<DB>, args: A) => Compilable<O>,
) {
  const compiled = new Map<Dialect, CompiledQuery<O>>();
  const templateFor = (db: Kysely<DB>) => {
    const dialect = dialectOf(db);
    let template = compiled.get(dialect);
    if (!template) {
      template = compileTemplate(db, build);
      compiled.set(dialect, template);
    }
    return template;
  };
  const execute = (db: Kysely<DB>, args: A): Promise<QueryResult<O>> => {
    const template = templateFor(db);
    const parameters = template.parameters.map((value) => (value instanceof Slot ? argumentFor(args, value) : value));
    return db.executeQuery({ ...template, parameters });
  };
  return {
    /** Every row. */
    all: async (db: Kysely<DB>, args: A): Promise<O[]> => (await execute(db, args)).rows,
    /** The first row, or undefined. */
    first: async (db: Kysely<DB>, args: A): Promise<O | undefined> => (await execute(db, args)).rows[0],
    /** The first row of a query that always has one (an aggregate, a fixed row); throws without it. */
    one: async (db: Kysely<DB>, args: A): Promise<O> => {
      const row = (await execute(db, args)).rows[0];
      if (row === undefined) throw new Error(`prepared query: no row from ${templateFor(db).sql}`);
      return row;
    },
    /** Runs a statement for its effect (an insert, update or delete without RETURNING). */
    run: async (db: Kysely<DB>, args: A): Promise<void> => {
      await execute(db, args);
    },
    /** The compiled SQL for a dialect (for tests). */
    sqlFor: (db: Kysely<DB>): string => templateFor(db).sql,
  };
}

/** A stand-in for one named value while a prepared query is built. */
class Slot {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

function compileTemplate<DB, A, O>(
  db: Kysely<DB>,
  build: (db: Kysely<DB>, args: A) => Compilable<O>,
): CompiledQuery<O> {
  const used = new Set<string>();
  const args = new Proxy({} as Record<string, Slot>, {
    get: (_target, name) => {
      used.add(String(name));
      return new Slot(String(name));
    },
  }) as A;
  const query = build(db, args).compile();
  const bound = new Set(query.parameters.filter((value) => value instanceof Slot).map((slot) => slot.name));
  for (const name of used) {
    if (!bound.has(name)) throw new Error(`prepared query: args.${name} is not bound as a parameter in ${query.sql}`);
  }
  return query;
}

function argumentFor(args: Record<string, unknown>, slot: Slot): unknown {
  const value = args[slot.name];
  if (value === undefined) throw new Error(`prepared query: no value for args.${slot.name}`);
  return value;
}

import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/**
 * SQLite through two connections to one WAL file: a writer, which one transaction at a time holds, and
 * a reader for the queries made outside any transaction. A reader sees the last commit and never waits
 * for the writer, so while a transaction (a group commit's batch, see group-commit.ts) is open, other
 * requests still read (their session, say) and get as far as queueing their own transaction to join
 * it. Writes outside a transaction wait for the writer like transactions do. A database in memory has
 * no second connection: there every query waits its turn for the one connection.
 */
export class TwoConnectionSqliteDialect implements Dialect {
  readonly #writer: SqliteDatabase;
  readonly #reader: SqliteDatabase | null;

  constructor(writer: SqliteDatabase, reader: SqliteDatabase | null) {
    this.#writer = writer;
    this.#reader = reader;
  }
  createAdapter() {
    return new ConcurrentSqliteAdapter();
  }
  createDriver(): Driver {
    return new TwoConnectionDriver(this.#writer, this.#reader);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect interface takes any schema here.
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}

/** SQLite's adapter, minus Kysely's one-connection lock: the driver below does its own. */
class ConcurrentSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections() {
    return true;
  }
}

/** A first-come, first-served lock. */
class Lock {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const turn = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return turn;
  }
}

class TwoConnectionDriver implements Driver {
  readonly #writer: SqliteDatabase;
  readonly #reader: SqliteDatabase | null;
  readonly #writerLock = new Lock();

  constructor(writer: SqliteDatabase, reader: SqliteDatabase | null) {
    this.#writer = writer;
    this.#reader = reader;
  }
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new Connection(this.#writer, this.#reader, this.#writerLock);
  }
  async beginTransaction(connection: DatabaseConnection) {
    await (connection as Connection).begin();
  }
  async commitTransaction(connection: DatabaseConnection) {
    await (connection as Connection).end('commit');
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await (connection as Connection).end('rollback');
  }
  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoted(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoted(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoted(name)}`));
  }
  async releaseConnection() {}
  async destroy() {
    this.#reader?.close();
    this.#writer.close();
  }
}

function quoted(name: string) {
  if (!/^\w+$/.test(name)) throw new Error(`unsafe savepoint name ${name}`);
  return `"${name}"`;
}

/** One use of the database: a transaction on the writer, or single queries outside one. */
class Connection implements DatabaseConnection {
  readonly #writer: SqliteDatabase;
  readonly #reader: SqliteDatabase | null;
  readonly #writerLock: Lock;
  #releaseWriter: (() => void) | null = null;

  constructor(writer: SqliteDatabase, reader: SqliteDatabase | null, writerLock: Lock) {
    this.#writer = writer;
    this.#reader = reader;
    this.#writerLock = writerLock;
  }

  async begin() {
    this.#releaseWriter = await this.#writerLock.acquire();
    try {
      // The adapter turns this into BEGIN IMMEDIATE: the write lock at once, against other processes.
      await this.executeQuery(CompiledQuery.raw('begin'));
    } catch (error) {
      this.#releaseWriterLock();
      throw error;
    }
  }

  async end(command: 'commit' | 'rollback') {
    try {
      await this.executeQuery(CompiledQuery.raw(command));
    } finally {
      this.#releaseWriterLock();
    }
  }

  #releaseWriterLock() {
    const release = this.#releaseWriter;
    this.#releaseWriter = null;
    release?.();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#releaseWriter) return run(this.#writer, query);
    if (this.#reader && SelectQueryNode.is(query.query)) return run(this.#reader, query);
    const release = await this.#writerLock.acquire();
    try {
      return run(this.#writer, query);
    } finally {
      release();
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('only select queries can be streamed');
    if (this.#releaseWriter || this.#reader) {
      const database = this.#releaseWriter ? this.#writer : (this.#reader as SqliteDatabase);
      for (const row of database.prepare(query.sql).iterate(query.parameters)) yield { rows: [row as R] };
      return;
    }
    const release = await this.#writerLock.acquire();
    try {
      for (const row of this.#writer.prepare(query.sql).iterate(query.parameters)) yield { rows: [row as R] };
    } finally {
      release();
    }
  }
}

function run<R>(database: SqliteDatabase, query: CompiledQuery): QueryResult<R> {
  const statement = database.prepare(query.sql);
  if (statement.reader) return { rows: statement.all(query.parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(query.parameters);
  return {
    insertId: lastInsertRowid != null ? BigInt(lastInsertRowid) : undefined,
    numAffectedRows: changes != null ? BigInt(changes) : undefined,
    rows: [],
  };
}

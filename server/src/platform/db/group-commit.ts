import type { ControlledTransaction, Kysely, Transaction } from 'kysely';

// The queue and its batches serve transactions over any schema.
// biome-ignore lint/suspicious/noExplicitAny: a batch's jobs each bring their own table types.
type AnyDb = any;

/**
 * Group commit for SQLite. A durable commit (synchronous=FULL: an fsync of the write-ahead log) costs
 * more than all the statements of a payment together, and node:sqlite makes it on the event loop's
 * thread. So transactions that queue up while one runs share a commit, as PostgreSQL's own WAL flushes
 * do: they run one after another in one database transaction, in arrival order, and all are answered
 * only when the shared commit is on disk. If the commit fails, every transaction of the batch fails
 * with it and nothing of them is kept.
 *
 * When a transaction fails, only it may be undone. A batch first runs its transactions plainly; if one
 * throws, the whole batch is rolled back, that one is answered with its error (or retried, when the
 * error asks for it), and the others run again, as withTransaction's callers must allow, in a careful
 * batch where each has its own savepoint. Careful batches continue until one passes without a failure:
 * savepoints cost a seventh of a payment's time, so they are kept for when refusals are about.
 *
 * SQLite has one writer at a time anyway, so this changes no isolation: each transaction sees the
 * writes of those before it, as it would have after their separate commits.
 */
export const MAX_BATCH = 32;

type Job = {
  fn: (trx: Transaction<AnyDb>) => Promise<unknown>;
  retryOf: (error: unknown, attempt: number) => boolean;
  attempt: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

/** The shared transaction can no longer be used: a job's savepoint could not be rolled back. */
class BatchBroken extends Error {
  constructor(cause: unknown) {
    super('the group commit transaction broke', { cause });
  }
}

type Queue = { jobs: Job[]; running: boolean; careful: boolean };
const queues = new WeakMap<Kysely<AnyDb>, Queue>();

/** Runs `fn` in a transaction that commits together with any that queue up beside it. */
export function inGroupCommit<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  retryOf: (error: unknown, attempt: number) => boolean,
): Promise<T> {
  let queue = queues.get(db);
  if (!queue) {
    queue = { jobs: [], running: false, careful: false };
    queues.set(db, queue);
  }
  const q = queue;
  return new Promise<T>((resolve, reject) => {
    q.jobs.push({
      fn: fn as (trx: Transaction<AnyDb>) => Promise<unknown>,
      retryOf,
      attempt: 1,
      resolve: resolve as (value: unknown) => void,
      reject,
    });
    if (!q.running) void drain(db, q);
  });
}

async function drain(db: Kysely<AnyDb>, q: Queue): Promise<void> {
  q.running = true;
  try {
    while (q.jobs.length > 0) await runBatch(db, q);
  } finally {
    q.running = false;
  }
}

async function runBatch(db: Kysely<AnyDb>, q: Queue): Promise<void> {
  let trx: ControlledTransaction<AnyDb>;
  try {
    trx = await db.startTransaction().execute();
  } catch (error) {
    // Could not even begin (the database is locked by another process past the busy timeout, or gone).
    for (const job of q.jobs.splice(0)) job.reject(error);
    return;
  }
  const careful = q.careful;
  let failed = false;
  const done: Array<{ job: Job; value: unknown }> = [];
  try {
    while (done.length < MAX_BATCH) {
      if (q.jobs.length === 0) {
        // node:sqlite answers at once, so a batch would otherwise run start to end without letting
        // any other request in: give requests that arrived meanwhile one turn to queue and join it.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (q.jobs.length === 0) break;
      }
      const job = q.jobs.shift() as Job;
      if (careful) {
        try {
          done.push({ job, value: await inSavepoint(trx, job) });
        } catch (error) {
          if (error instanceof BatchBroken) {
            job.reject(error.cause);
            throw error.cause;
          }
          failed = true;
          job.reject(error);
        }
        continue;
      }
      try {
        done.push({ job, value: await job.fn(trx) });
      } catch (error) {
        // Undo the batch; the others run again, carefully, ahead of any newcomers.
        await rollbackQuietly(trx);
        q.careful = true;
        const again = done.map((d) => d.job);
        if (job.retryOf(error, job.attempt)) {
          job.attempt++;
          again.push(job);
        } else {
          job.reject(error);
        }
        q.jobs.unshift(...again);
        return;
      }
    }
    await trx.commit().execute();
  } catch (error) {
    // The transaction broke (a savepoint could not be rolled back) or its COMMIT failed: none of it
    // stands. End it, in case it is still open, before the next batch begins.
    await rollbackQuietly(trx);
    for (const { job } of done) job.reject(error);
    return;
  }
  if (careful && !failed) q.careful = false;
  for (const { job, value } of done) job.resolve(value);
}

function rollbackQuietly(trx: ControlledTransaction<AnyDb>): Promise<void> {
  return trx
    .rollback()
    .execute()
    .catch(() => {});
}

/** A job in its own savepoint, retried from there while its errors ask for it. */
async function inSavepoint(trx: ControlledTransaction<AnyDb>, job: Job): Promise<unknown> {
  for (;;) {
    const savepoint = await trx.savepoint('job').execute();
    try {
      const value = await job.fn(savepoint);
      await savepoint.releaseSavepoint('job').execute();
      return value;
    } catch (error) {
      // Undo this job's writes only; the savepoint stays on the stack after ROLLBACK TO, so release it.
      try {
        await savepoint.rollbackToSavepoint('job').execute();
        await savepoint.releaseSavepoint('job').execute();
      } catch (broken) {
        throw new BatchBroken(broken);
      }
      if (!job.retryOf(error, job.attempt)) throw error;
      job.attempt++;
    }
  }
}

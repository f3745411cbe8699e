import Fastify from 'fastify';
import pg from 'pg';

/**
 * The server side of bench/pg-ceiling.ts: bare Fastify over `pg`, nothing of Jinku's. A TPC-B-like
 * transfer between two of 1,000 accounts, run either as one call of a PL/pgSQL function or as six round
 * trips (BEGIN, two UPDATEs, INSERT, SELECT, COMMIT), every statement prepared.
 */
const pool = new pg.Pool({ connectionString: process.env.CEILING_DATABASE_URL, max: 10 });
await pool.query(`
  create table if not exists ceiling_account (id int primary key, balance bigint not null);
  insert into ceiling_account select g, 1000000 from generate_series(1, 1000) g on conflict do nothing;
  create table if not exists ceiling_history (id bigserial primary key, debit int, credit int, amount bigint);
  create or replace function ceiling_transfer(debit int, credit int, amount bigint) returns bigint
  language plpgsql as $$
  declare after bigint;
  begin
    update ceiling_account set balance = balance - amount where id = debit returning balance into after;
    update ceiling_account set balance = balance + amount where id = credit;
    insert into ceiling_history (debit, credit, amount) values (debit, credit, amount);
    return after;
  end $$;`);

type Body = { debit: number; credit: number; amount: number };
const app = Fastify();
app.get('/api/v1/session', async () => ({ csrfToken: 'none' }));
app.get('/bare', async () => ({ ok: true }));
app.post('/one-call', async (request) => {
  const { debit, credit, amount } = request.body as Body;
  const result = await pool.query({
    name: 'transfer',
    text: 'select ceiling_transfer($1, $2, $3) as balance',
    values: [debit, credit, amount],
  });
  return { balance: String(result.rows[0].balance) };
});
app.post('/six-round-trips', async (request) => {
  const { debit, credit, amount } = request.body as Body;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query({
      name: 'debit',
      text: 'update ceiling_account set balance = balance - $2 where id = $1',
      values: [debit, amount],
    });
    await client.query({
      name: 'credit',
      text: 'update ceiling_account set balance = balance + $2 where id = $1',
      values: [credit, amount],
    });
    await client.query({
      name: 'history',
      text: 'insert into ceiling_history (debit, credit, amount) values ($1, $2, $3)',
      values: [debit, credit, amount],
    });
    const result = await client.query({
      name: 'balance',
      text: 'select balance from ceiling_account where id = $1',
      values: [debit],
    });
    await client.query('commit');
    return { balance: String(result.rows[0].balance) };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
});
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${(app.server.address() as { port: number }).port}`);

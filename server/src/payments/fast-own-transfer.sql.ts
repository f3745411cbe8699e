/**
 * The PostgreSQL function behind the fast path for own-account transfers (fast-own-transfer.ts). It
 * does in one call, and one transaction, what createTransfer and the ledger do in fifteen round trips
 * for this one case, writing the very same rows; every other case, and every refusal, it leaves to the
 * TypeScript path by answering 'fallback' before it has written anything. It finds the payee's account
 * itself (by card or account number, as the request gives it), so a transfer costs one round trip.
 *
 * Answers: 'done'; 'in_flight' (another request holds the Idempotency-Key right now); 'existing' (the
 * key was used before: the TypeScript path replays or refuses); 'fallback'.
 */
export const FAST_OWN_TRANSFER_FUNCTION = `
create or replace function jinku_fast_own_transfer(p jsonb) returns text language plpgsql as $fn$
declare
  v_customer text := p->>'customerId';
  v_from text := p->>'fromAccountId';
  v_to text;
  v_holder text;
  v_from_number text;
  v_number text := p->>'payeeAccountNumber';
  v_amount bigint := (p->>'amountFen')::bigint;
  v_now bigint := (p->>'nowMs')::bigint;
  v_entry text := p->>'entryId';
  v_transfer text := p->>'transferId';
  v_memo text := p->>'entryMemo';
  v_inserted integer;
  v_debit record;
  v_from_after bigint;
  v_to_after bigint;
  v_head record;
  v_start integer := (p->>'chainStart')::integer;
  v_chains integer := (p->>'chains')::integer;
  v_audit_details text := p->>'auditDetails';
  v_hash text;
begin
  -- The payee's account and holder (createTransfer's lookup): only the customer's own other account,
  -- under the name it is held in, is this path's case.
  if p->>'payeeColumn' = 'card_number' then
    select t.id, c.name into v_to, v_holder from account t join customer c on c.id = t.customer_id
      where t.card_number = v_number;
  else
    select t.id, c.name into v_to, v_holder from account t join customer c on c.id = t.customer_id
      where t.account_number = v_number;
  end if;
  if v_to is null or v_to = v_from or v_holder <> p->>'payeeName' then
    return 'fallback';
  end if;

  -- A request with the same key holds this lock until it commits: answer 409, never run twice.
  if not pg_try_advisory_xact_lock(hashtextextended((p->>'scope') || chr(31) || (p->>'key'), 0)) then
    return 'in_flight';
  end if;
  if exists (select 1 from idempotency_key where scope = p->>'scope' and key = p->>'key') then
    return 'existing';
  end if;

  -- The ledger rows, locked in id order as lockAccounts does; then what the lookup saw, checked again.
  perform 1 from ledger_account where id in (v_from, v_to) order by id for update;
  if not exists (select 1 from account where id = v_from and customer_id = v_customer and status = 'active')
     or not exists (
       select 1 from account where id = v_to and customer_id = v_customer
         and status not in ('closed', 'under_investigation')) then
    return 'fallback';
  end if;
  select posted_fen, held_fen, allow_negative into v_debit from ledger_account where id = v_from;
  -- The credit side names the payer's account as maskNumber does: its card, else its account number.
  select coalesce(card_number, account_number) into v_from_number from account where id = v_from;
  if not v_debit.allow_negative and v_debit.posted_fen - v_debit.held_fen < v_amount then
    return 'fallback';
  end if;

  insert into journal_entry (id, kind, reference, memo, reverses_entry_id, posted_at_ms)
    values (v_entry, 'transfer', v_transfer, v_memo, null, v_now);
  update ledger_account set posted_fen = posted_fen - v_amount, version = version + 1, updated_at_ms = v_now
    where id = v_from returning posted_fen into v_from_after;
  update ledger_account set posted_fen = posted_fen + v_amount, version = version + 1, updated_at_ms = v_now
    where id = v_to returning posted_fen into v_to_after;
  insert into posting (id, entry_id, ledger_account_id, amount_fen, balance_after_fen, counterparty, memo, posted_at_ms)
    values
      (p->>'debitPostingId', v_entry, v_from, -v_amount, v_from_after, p->>'debitCounterparty', v_memo, v_now),
      (p->>'creditPostingId', v_entry, v_to, v_amount, v_to_after,
        (p->>'creditCounterpartyName') || ' ' || left(v_from_number, 4) || ' **** **** ' || right(v_from_number, 4),
        v_memo, v_now);
  insert into transfer (id, customer_id, from_account_id, kind, to_account_id, payee_name, payee_account_number,
      payee_bank_code, amount_fen, memo, status, reason_code, auth_method, auth_ref, entry_id, created_at_ms,
      authorize_by_ms, settle_after_ms, completed_at_ms)
    values (v_transfer, v_customer, v_from, 'own', v_to, p->>'payeeName', p->>'payeeAccountNumber',
      p->>'payeeBankCode', v_amount, p->>'memo', 'completed', null, null, null, v_entry, v_now,
      (p->>'authorizeByMs')::bigint, null, v_now);

  -- The audit row, on whichever chain head is free (appendAudit), hashed exactly as rowHash does:
  -- SHA-256 of JSON.stringify of the fields; to_json escapes strings as JSON.stringify does.
  select chain_id, last_seq, last_hash into v_head from audit_chain
    order by (chain_id + v_chains - v_start) % v_chains limit 1 for update skip locked;
  if not found then
    select chain_id, last_seq, last_hash into v_head from audit_chain where chain_id = v_start for update;
  end if;
  v_hash := encode(sha256(convert_to(
    '[' || to_json(v_head.last_hash)::text || ',' || to_json(p->>'auditId')::text || ',' || v_head.chain_id
      || ',' || (v_head.last_seq + 1) || ',' || v_now || ',' || to_json('transfer.completed'::text)::text
      || ',' || to_json('customer'::text)::text || ',' || to_json(v_customer)::text
      || ',' || to_json('transfer'::text)::text || ',' || to_json(v_transfer)::text
      || ',' || coalesce(to_json(p->>'ip')::text, 'null') || ',' || to_json(v_audit_details)::text || ']',
    'UTF8')), 'hex');
  insert into audit_log (id, chain_id, seq, at_ms, kind, actor_type, actor_id, subject_type, subject_id, ip,
      details, prev_hash, hash)
    values (p->>'auditId', v_head.chain_id, v_head.last_seq + 1, v_now, 'transfer.completed', 'customer',
      v_customer, 'transfer', v_transfer, p->>'ip', v_audit_details, v_head.last_hash, v_hash);

  -- The answer, stored with the money movement (finishIdempotent). A key a plain request took meanwhile
  -- wins: undo everything and let the TypeScript path answer.
  insert into idempotency_key (scope, key, request_hash, state, lease_token, lease_until_ms, response_status,
      response_body, created_at_ms, expires_at_ms)
    values (p->>'scope', p->>'key', p->>'requestHash', 'done', p->>'leaseToken', (p->>'leaseUntilMs')::bigint,
      201, p->>'responseBody', v_now, (p->>'expiresAtMs')::bigint)
    on conflict (scope, key) do nothing;
  get diagnostics v_inserted = row_count;
  if v_inserted = 0 then
    raise exception 'idempotency key taken meanwhile' using errcode = 'JK001';
  end if;
  return 'done';
end
$fn$`;

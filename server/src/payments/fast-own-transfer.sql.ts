/**
 * The PostgreSQL function behind the fast path for own-account transfers (fast-own-transfer.ts). One
 * call carries a batch of transfers that reached the server together, and writes them in one
 * transaction: for each, the very rows createTransfer and the ledger write for this one case in fifteen
 * round trips. It finds each payee's account itself (by card or account number, as the request gives
 * it). Every other case, and every refusal, it leaves to the TypeScript path: that transfer answers
 * 'fallback' and writes nothing, while the rest of its batch goes on.
 *
 * Answers, one per transfer in order: 'done'; 'in_flight' (another request holds the Idempotency-Key
 * right now); 'existing' (the key was used before: the TypeScript path replays or refuses); 'fallback'.
 *
 * Locks, in the order every writer of these rows takes them, so that nothing waits in a circle:
 * 1. each key's advisory lock, tried and never waited for; then its stored answer, inserted first (a
 *    request on the general path with the same key waits for this transaction, then replays);
 * 2. every ledger row of the batch at once, in id order (as lockAccounts does);
 * 3. one audit chain head, last (as appendAudit is called last).
 */
export const FAST_OWN_TRANSFER_FUNCTION = `
create or replace function jinku_fast_own_transfers(p jsonb) returns text[] language plpgsql as $fn$
declare
  v_items jsonb := p->'items';
  v_count integer := jsonb_array_length(p->'items');
  v_outcomes text[] := array_fill('fallback'::text, array[jsonb_array_length(p->'items')]);
  v_to_ids text[] := array_fill(null::text, array[jsonb_array_length(p->'items')]);
  v_i integer;
  v_item jsonb;
  v_customer text;
  v_from text;
  v_to text;
  v_holder text;
  v_number text;
  v_from_number text;
  v_amount bigint;
  v_now bigint;
  v_entry text;
  v_transfer text;
  v_memo text;
  v_inserted integer;
  v_debit record;
  v_from_after bigint;
  v_to_after bigint;
  v_head record;
  v_have_head boolean := false;
  v_chain integer;
  v_seq bigint;
  v_prev_hash text;
  v_start integer := (p->>'chainStart')::integer;
  v_chains integer := (p->>'chains')::integer;
  v_audit_details text;
  v_hash text;
begin
  -- 1. Each transfer's payee account and its key. Only the customer's own other account, under the
  --    name it is held in, is this path's case.
  for v_i in 1..v_count loop
    v_item := v_items->(v_i - 1);
    v_from := v_item->>'fromAccountId';
    v_number := v_item->>'payeeAccountNumber';
    v_to := null;
    v_holder := null;
    if v_item->>'payeeColumn' = 'card_number' then
      select t.id, c.name into v_to, v_holder from account t join customer c on c.id = t.customer_id
        where t.card_number = v_number;
    else
      select t.id, c.name into v_to, v_holder from account t join customer c on c.id = t.customer_id
        where t.account_number = v_number;
    end if;
    continue when v_to is null or v_to = v_from or v_holder <> v_item->>'payeeName';
    -- A request with the same key holds this lock until it commits: answer 409, never run twice.
    if not pg_try_advisory_xact_lock(hashtextextended((v_item->>'scope') || chr(31) || (v_item->>'key'), 0)) then
      v_outcomes[v_i] := 'in_flight';
      continue;
    end if;
    -- The answer, stored with the money movement (finishIdempotent); a key used before is the
    -- TypeScript path's to replay or refuse.
    insert into idempotency_key (scope, key, request_hash, state, lease_token, lease_until_ms, response_status,
        response_body, created_at_ms, expires_at_ms)
      values (v_item->>'scope', v_item->>'key', v_item->>'requestHash', 'done', v_item->>'leaseToken',
        (v_item->>'leaseUntilMs')::bigint, 201, v_item->>'responseBody', (v_item->>'nowMs')::bigint,
        (v_item->>'expiresAtMs')::bigint)
      on conflict (scope, key) do nothing;
    get diagnostics v_inserted = row_count;
    if v_inserted = 0 then
      v_outcomes[v_i] := 'existing';
      continue;
    end if;
    v_to_ids[v_i] := v_to;
    v_outcomes[v_i] := 'pending';
  end loop;

  -- 2. The ledger rows of the whole batch, locked at once in id order.
  perform 1 from ledger_account where id in (
      select v_items->(i - 1)->>'fromAccountId' from generate_subscripts(v_outcomes, 1) i
        where v_outcomes[i] = 'pending'
      union
      select v_to_ids[i] from generate_subscripts(v_outcomes, 1) i where v_outcomes[i] = 'pending')
    order by id for update;

  -- 3. Each transfer, checked again under the locks, then written.
  for v_i in 1..v_count loop
    continue when v_outcomes[v_i] <> 'pending';
    v_item := v_items->(v_i - 1);
    v_customer := v_item->>'customerId';
    v_from := v_item->>'fromAccountId';
    v_to := v_to_ids[v_i];
    v_amount := (v_item->>'amountFen')::bigint;
    v_now := (v_item->>'nowMs')::bigint;
    v_entry := v_item->>'entryId';
    v_transfer := v_item->>'transferId';
    v_memo := v_item->>'entryMemo';
    select posted_fen, held_fen, allow_negative into v_debit from ledger_account where id = v_from;
    if not exists (select 1 from account where id = v_from and customer_id = v_customer and status = 'active')
       or not exists (
         select 1 from account where id = v_to and customer_id = v_customer
           and status not in ('closed', 'under_investigation'))
       or (not v_debit.allow_negative and v_debit.posted_fen - v_debit.held_fen < v_amount) then
      delete from idempotency_key where scope = v_item->>'scope' and key = v_item->>'key';
      v_outcomes[v_i] := 'fallback';
      continue;
    end if;
    -- The credit side names the payer's account as maskNumber does: its card, else its account number.
    select coalesce(card_number, account_number) into v_from_number from account where id = v_from;

    insert into journal_entry (id, kind, reference, memo, reverses_entry_id, posted_at_ms)
      values (v_entry, 'transfer', v_transfer, v_memo, null, v_now);
    update ledger_account set posted_fen = posted_fen - v_amount, version = version + 1, updated_at_ms = v_now
      where id = v_from returning posted_fen into v_from_after;
    update ledger_account set posted_fen = posted_fen + v_amount, version = version + 1, updated_at_ms = v_now
      where id = v_to returning posted_fen into v_to_after;
    insert into posting (id, entry_id, ledger_account_id, amount_fen, balance_after_fen, counterparty, memo,
        posted_at_ms)
      values
        (v_item->>'debitPostingId', v_entry, v_from, -v_amount, v_from_after, v_item->>'debitCounterparty',
          v_memo, v_now),
        (v_item->>'creditPostingId', v_entry, v_to, v_amount, v_to_after,
          (v_item->>'creditCounterpartyName') || ' ' || left(v_from_number, 4) || ' **** **** '
            || right(v_from_number, 4),
          v_memo, v_now);
    insert into transfer (id, customer_id, from_account_id, kind, to_account_id, payee_name, payee_account_number,
        payee_bank_code, amount_fen, memo, status, reason_code, auth_method, auth_ref, entry_id, created_at_ms,
        authorize_by_ms, settle_after_ms, completed_at_ms)
      values (v_transfer, v_customer, v_from, 'own', v_to, v_item->>'payeeName', v_item->>'payeeAccountNumber',
        v_item->>'payeeBankCode', v_amount, v_item->>'memo', 'completed', null, null, null, v_entry, v_now,
        (v_item->>'authorizeByMs')::bigint, null, v_now);

    -- The audit row, on whichever chain head is free (appendAudit), one head for the whole batch,
    -- hashed exactly as rowHash does: SHA-256 of JSON.stringify of the fields (to_json escapes strings
    -- as JSON.stringify does). The trigger audit_chain_advance moves the head along.
    if not v_have_head then
      select chain_id, last_seq, last_hash into v_head from audit_chain
        order by (chain_id + v_chains - v_start) % v_chains limit 1 for update skip locked;
      if not found then
        select chain_id, last_seq, last_hash into v_head from audit_chain where chain_id = v_start for update;
      end if;
      v_have_head := true;
      v_chain := v_head.chain_id;
      v_seq := v_head.last_seq;
      v_prev_hash := v_head.last_hash;
    end if;
    v_seq := v_seq + 1;
    v_audit_details := v_item->>'auditDetails';
    v_hash := encode(sha256(convert_to(
      '[' || to_json(v_prev_hash)::text || ',' || to_json(v_item->>'auditId')::text || ',' || v_chain
        || ',' || v_seq || ',' || v_now || ',' || to_json('transfer.completed'::text)::text
        || ',' || to_json('customer'::text)::text || ',' || to_json(v_customer)::text
        || ',' || to_json('transfer'::text)::text || ',' || to_json(v_transfer)::text
        || ',' || coalesce(to_json(v_item->>'ip')::text, 'null') || ',' || to_json(v_audit_details)::text || ']',
      'UTF8')), 'hex');
    insert into audit_log (id, chain_id, seq, at_ms, kind, actor_type, actor_id, subject_type, subject_id, ip,
        details, prev_hash, hash)
      values (v_item->>'auditId', v_chain, v_seq, v_now, 'transfer.completed', 'customer', v_customer, 'transfer',
        v_transfer, v_item->>'ip', v_audit_details, v_prev_hash, v_hash);
    v_prev_hash := v_hash;
    v_outcomes[v_i] := 'done';
  end loop;
  return v_outcomes;
end
$fn$`;

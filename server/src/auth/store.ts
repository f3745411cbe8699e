import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, Tx } from '../database.ts';
import { preparedQuery } from '../platform/db/prepared.ts';
import { readPerTurn } from '../platform/db/read-per-turn.ts';
import { newId } from '../platform/ids.ts';

/**
 * Every query on the auth domain's tables. The statements a sign-in or a signed-in request runs are
 * prepared (platform/db/prepared.ts); the rest are built per call. Functions that must run inside a
 * transaction (they lock rows, or are one step of several) take a `Tx`.
 */

export type AuthTables = {
  login_credential: {
    customer_id: string;
    username: string | null;
    /** The personal login name as the customer typed it; `login_name_lower` makes it unique without regard to case. */
    login_name: string | null;
    login_name_lower: string | null;
    password_hash: string;
    must_change_password: boolean;
    failed_count: number;
    locked_until_ms: number | null;
    password_changed_at_ms: number;
    /** The anti-phishing reserved message (预留信息). */
    reserved_message: string | null;
    last_login_at_ms: number | null;
  };
  password_history: { id: string; customer_id: string; password_hash: string; created_at_ms: number };
  session: {
    id: string;
    token_hash: string;
    customer_id: string;
    channel: string;
    device_id: string | null;
    ip: string | null;
    user_agent: string | null;
    created_at_ms: number;
    last_seen_at_ms: number;
    expires_at_ms: number;
    revoked_at_ms: number | null;
  };
  captcha: { id: string; answer: string; expires_at_ms: number; used: boolean };
  login_attempt: {
    id: string;
    customer_id: string;
    channel: string;
    state: 'challenge' | 'change_password' | 'done';
    /** The risk decision, JSON. */
    risk: string;
    device_id: string | null;
    ip: string | null;
    user_agent: string | null;
    /** The authorization service's challenge the attempt awaits (media/authorization.ts). */
    challenge_id: string | null;
    /** After the password change, a security check is still owed. */
    then_challenge: boolean;
    created_at_ms: number;
    expires_at_ms: number;
  };
  login_failure: { id: string; ip: string; identifier_hash: string; at_ms: number };
  /** An identifier that names nobody keeps a lock state like a credential's, so both answer alike. */
  unknown_identifier_lock: {
    identifier_hash: string;
    failed_count: number;
    locked_until_ms: number | null;
    updated_at_ms: number;
  };
  known_device: {
    id: string;
    customer_id: string;
    device_hash: string;
    label: string;
    first_seen_at_ms: number;
    last_seen_at_ms: number;
    /** The address of its latest sign-in (migration 0305; null for devices last seen before). */
    last_ip: string | null;
  };
  login_event: {
    id: string;
    customer_id: string;
    at_ms: number;
    channel: string;
    device: string;
    ip: string | null;
    network: string | null;
    result: string;
  };
};

export type CredentialRow = Selectable<AuthTables['login_credential']>;
export type SessionRow = Selectable<AuthTables['session']>;
export type AttemptRow = Selectable<AuthTables['login_attempt']>;

// ——— Credentials ———

// Prepared (compiled once): every sign-in reads the credential twice, before the hash and under lock after.
const credentialQuery = preparedQuery((db: Kysely<Database>, args: { customerId: string }) =>
  db.selectFrom('login_credential').selectAll().where('customer_id', '=', args.customerId),
);
const lockedCredentialQuery = preparedQuery((db: Kysely<Database>, args: { customerId: string }) =>
  db.selectFrom('login_credential').selectAll().where('customer_id', '=', args.customerId).forUpdate(),
);
const customerIdByNameQuery = preparedQuery((db: Kysely<Database>, args: { name: string }) =>
  db
    .selectFrom('login_credential')
    .select('customer_id')
    .where((eb) => eb.or([eb('username', '=', args.name), eb('login_name_lower', '=', args.name)])),
);
const noteLastLoginQuery = preparedQuery((db: Kysely<Database>, args: { customerId: string; nowMs: number }) =>
  db.updateTable('login_credential').set({ last_login_at_ms: args.nowMs }).where('customer_id', '=', args.customerId),
);

/** A customer's credential, or undefined when they have no online banking login. */
export function credentialOf(db: Kysely<Database>, customerId: string) {
  return credentialQuery.first(db, { customerId });
}

/** The credential, locked for the rest of the transaction (the failure count and lock are read-modify-write). */
export function lockedCredentialOf(trx: Tx, customerId: string) {
  return lockedCredentialQuery.first(trx, { customerId });
}

/** The customer a username or personal login name (given in lower case) belongs to, or null. */
export async function customerIdByUsernameOrLoginName(db: Kysely<Database>, lowerName: string) {
  return (await customerIdByNameQuery.first(db, { name: lowerName }))?.customer_id ?? null;
}

/** Writes the count of consecutive wrong passwords and the lock (null: not locked). */
export async function setFailureState(
  trx: Tx,
  customerId: string,
  state: { failedCount: number; lockedUntilMs: number | null },
) {
  await trx
    .updateTable('login_credential')
    .set({ failed_count: state.failedCount, locked_until_ms: state.lockedUntilMs })
    .where('customer_id', '=', customerId)
    .execute();
}

/** Replaces the stored hash of an unchanged password (a stronger hashing cost). */
export async function setPasswordHash(trx: Tx, customerId: string, passwordHash: string) {
  await trx
    .updateTable('login_credential')
    .set({ password_hash: passwordHash })
    .where('customer_id', '=', customerId)
    .execute();
}

/** The customer's latest password hashes, newest first. */
export function passwordHistoryOf(db: Kysely<Database>, customerId: string, limit: number) {
  return db
    .selectFrom('password_history')
    .select(['id', 'password_hash'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at_ms', 'desc')
    .limit(limit)
    .execute();
}

/** Stores a new login password (creating the credential if there is none), which also clears any lock. */
export async function writePassword(
  trx: Tx,
  customerId: string,
  input: { passwordHash: string; temporary: boolean; nowMs: number; exists: boolean },
) {
  const password = {
    password_hash: input.passwordHash,
    must_change_password: input.temporary,
    failed_count: 0,
    locked_until_ms: null,
    password_changed_at_ms: input.nowMs,
  };
  if (input.exists) {
    await trx.updateTable('login_credential').set(password).where('customer_id', '=', customerId).execute();
    return;
  }
  await trx
    .insertInto('login_credential')
    .values({
      customer_id: customerId,
      username: null,
      login_name: null,
      login_name_lower: null,
      reserved_message: null,
      last_login_at_ms: null,
      ...password,
    })
    .execute();
}

/** Adds a hash to the history and drops all but `keepIds` and the new one. */
export async function rememberPassword(
  trx: Tx,
  customerId: string,
  input: { passwordHash: string; nowMs: number; keepIds: string[] },
) {
  await trx
    .insertInto('password_history')
    .values({
      id: newId<'PasswordHistory'>(),
      customer_id: customerId,
      password_hash: input.passwordHash,
      created_at_ms: input.nowMs,
    })
    .execute();
  let prune = trx
    .deleteFrom('password_history')
    .where('customer_id', '=', customerId)
    .where('password_hash', '!=', input.passwordHash);
  if (input.keepIds.length > 0) prune = prune.where('id', 'not in', input.keepIds);
  await prune.execute();
}

export async function setUsernameRow(trx: Tx, customerId: string, lowerUsername: string) {
  await trx
    .updateTable('login_credential')
    .set({ username: lowerUsername })
    .where('customer_id', '=', customerId)
    .execute();
}

/** Whether another customer holds this name (lower case) as username or login name. */
export async function nameTakenByOther(db: Kysely<Database>, customerId: string, lowerName: string) {
  const clash = await db
    .selectFrom('login_credential')
    .select('customer_id')
    .where((eb) => eb.or([eb('username', '=', lowerName), eb('login_name_lower', '=', lowerName)]))
    .where('customer_id', '!=', customerId)
    .executeTakeFirst();
  return clash !== undefined;
}

/** Writes the login name; a unique violation means someone took it meanwhile. */
export async function setLoginNameRow(trx: Tx, customerId: string, loginName: string) {
  await trx
    .updateTable('login_credential')
    .set({ login_name: loginName, login_name_lower: loginName.toLowerCase() })
    .where('customer_id', '=', customerId)
    .execute();
}

export async function setReservedMessageRow(trx: Tx, customerId: string, message: string) {
  await trx
    .updateTable('login_credential')
    .set({ reserved_message: message })
    .where('customer_id', '=', customerId)
    .execute();
}

export function noteLastLogin(trx: Tx, customerId: string, nowMs: number) {
  return noteLastLoginQuery.run(trx, { customerId, nowMs });
}

// ——— Sessions ———

// Prepared (compiled once): every sign-in runs the first two, every signed-in request the others.
const revokeByTokenQuery = preparedQuery((db: Kysely<Database>, args: { tokenHash: string; nowMs: number }) =>
  db
    .updateTable('session')
    .set({ revoked_at_ms: args.nowMs })
    .where('token_hash', '=', args.tokenHash)
    .where('revoked_at_ms', 'is', null),
);
const insertSessionQuery = preparedQuery(
  (
    db: Kysely<Database>,
    args: {
      id: string;
      tokenHash: string;
      customerId: string;
      channel: string;
      deviceId: string | null;
      ip: string | null;
      userAgent: string | null;
      nowMs: number;
      expiresAtMs: number;
    },
  ) =>
    db.insertInto('session').values({
      id: args.id,
      token_hash: args.tokenHash,
      customer_id: args.customerId,
      channel: args.channel,
      device_id: args.deviceId,
      ip: args.ip,
      user_agent: args.userAgent,
      created_at_ms: args.nowMs,
      last_seen_at_ms: args.nowMs,
      expires_at_ms: args.expiresAtMs,
      revoked_at_ms: null,
    }),
);
const sessionByTokenQuery = preparedQuery((db: Kysely<Database>, args: { tokenHash: string }) =>
  db.selectFrom('session').selectAll().where('token_hash', '=', args.tokenHash),
);
const touchSessionQuery = preparedQuery((db: Kysely<Database>, args: { id: string; nowMs: number }) =>
  db.updateTable('session').set({ last_seen_at_ms: args.nowMs }).where('id', '=', args.id),
);

export function revokeSessionByTokenHash(trx: Tx, tokenHash: string, nowMs: number) {
  return revokeByTokenQuery.run(trx, { tokenHash, nowMs });
}

export type NewSessionRow = {
  id: string;
  tokenHash: string;
  customerId: string;
  channel: string;
  deviceId: string | null;
  ip: string | null;
  userAgent: string | null;
  nowMs: number;
  expiresAtMs: number;
};

export function insertSession(trx: Tx, row: NewSessionRow) {
  return insertSessionQuery.run(trx, row);
}

/**
 * The session of a token hash. On PostgreSQL the reads of one turn of the event loop share a query
 * (nothing is cached, so a revocation holds at once on every instance).
 */
export const sessionByTokenHash = readPerTurn<Database, string, SessionRow | undefined>({
  maxBatchSize: 64,
  readOne: (db, tokenHash) => sessionByTokenQuery.first(db, { tokenHash }),
  readMany: async (db, hashes) => {
    const rows = await db
      .selectFrom('session')
      .selectAll()
      .where(sql<boolean>`token_hash = any(${[...hashes]}::text[])`)
      .execute();
    const byHash = new Map(rows.map((row) => [row.token_hash, row]));
    return hashes.map((hash) => byHash.get(hash));
  },
});

export function touchSession(db: Kysely<Database>, sessionId: string, nowMs: number) {
  return touchSessionQuery.run(db, { id: sessionId, nowMs });
}

/** Ends one session (a no-op for one already ended). */
export async function revokeSessionById(db: Kysely<Database>, sessionId: string, nowMs: number) {
  await db
    .updateTable('session')
    .set({ revoked_at_ms: nowMs })
    .where('id', '=', sessionId)
    .where('revoked_at_ms', 'is', null)
    .execute();
}

/** Ends every session of a customer; how many were still open. */
export async function revokeSessionsOf(trx: Tx, customerId: string, nowMs: number): Promise<number> {
  const result = await trx
    .updateTable('session')
    .set({ revoked_at_ms: nowMs })
    .where('customer_id', '=', customerId)
    .where('revoked_at_ms', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Ends every customer session there is; how many were still open. */
export async function revokeAllSessions(trx: Tx, nowMs: number): Promise<number> {
  const result = await trx
    .updateTable('session')
    .set({ revoked_at_ms: nowMs })
    .where('revoked_at_ms', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A customer's sessions that are still usable at `nowMs`, newest first. */
export function liveSessionsOf(
  db: Kysely<Database>,
  customerId: string,
  input: { nowMs: number; idleSinceMs: number; limit: number },
) {
  return db
    .selectFrom('session')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('revoked_at_ms', 'is', null)
    .where('expires_at_ms', '>', input.nowMs)
    .where('last_seen_at_ms', '>', input.idleSinceMs)
    .orderBy('created_at_ms', 'desc')
    .limit(input.limit)
    .execute();
}

/** Whether a session with this id belongs to this customer. */
export async function isSessionOf(db: Kysely<Database>, customerId: string, sessionId: string) {
  const row = await db
    .selectFrom('session')
    .select('id')
    .where('id', '=', sessionId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row !== undefined;
}

// ——— Login attempts ———

export async function insertAttempt(trx: Tx, row: AttemptRow) {
  await trx.insertInto('login_attempt').values(row).execute();
}

/** The attempt, locked for the rest of the transaction (each step uses it once). */
export function lockedAttempt(trx: Tx, attemptId: string) {
  return trx.selectFrom('login_attempt').selectAll().where('id', '=', attemptId).forUpdate().executeTakeFirst();
}

/** The channel an attempt started on, or undefined for no such attempt. */
export async function attemptChannelOf(db: Kysely<Database>, attemptId: string) {
  return (await db.selectFrom('login_attempt').select('channel').where('id', '=', attemptId).executeTakeFirst())
    ?.channel;
}

export async function setAttemptState(trx: Tx, attemptId: string, state: AttemptRow['state'], thenChallenge?: boolean) {
  await trx
    .updateTable('login_attempt')
    .set(thenChallenge === undefined ? { state } : { state, then_challenge: thenChallenge })
    .where('id', '=', attemptId)
    .execute();
}

/** Points the attempt at its newest challenge; an earlier one of the attempt no longer signs in. */
export async function setAttemptChallenge(trx: Tx, attemptId: string, challengeId: string) {
  await trx.updateTable('login_attempt').set({ challenge_id: challengeId }).where('id', '=', attemptId).execute();
}

// ——— Captchas and failures ———

export async function insertCaptcha(db: Kysely<Database>, row: { id: string; answer: string; expiresAtMs: number }) {
  await db
    .insertInto('captcha')
    .values({ id: row.id, answer: row.answer, expires_at_ms: row.expiresAtMs, used: false })
    .execute();
}

export async function deleteCaptchasExpiredBefore(db: Kysely<Database>, beforeMs: number) {
  return (await db.deleteFrom('captcha').where('expires_at_ms', '<', beforeMs).executeTakeFirst()).numDeletedRows;
}

export async function captchaAnswerOf(db: Kysely<Database>, captchaId: string) {
  return (await db.selectFrom('captcha').select(['answer']).where('id', '=', captchaId).executeTakeFirst())?.answer;
}

/** Marks a live, unused captcha used and returns its answer; undefined when there was none to use. */
export async function markCaptchaUsed(db: Kysely<Database>, captchaId: string, nowMs: number) {
  const row = await db
    .updateTable('captcha')
    .set({ used: true })
    .where('id', '=', captchaId)
    .where('used', '=', false)
    .where('expires_at_ms', '>', nowMs)
    .returning(['answer'])
    .executeTakeFirst();
  return row?.answer;
}

/** One statement for the counts (prepared: it runs before every sign-in). */
const failureCountsQuery = preparedQuery(
  (db: Kysely<Database>, args: { idHash: string; ip: string; since: number; floodSince: number }) =>
    db
      .selectFrom('login_failure')
      .select((eb) => [
        eb.fn.sum<number>(eb.case().when('identifier_hash', '=', args.idHash).then(1).else(0).end()).as('byIdentifier'),
        eb.fn.sum<number>(eb.case().when('ip', '=', args.ip).then(1).else(0).end()).as('byIp'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('ip', '=', args.ip), eb('at_ms', '>=', args.floodSince)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('byIpRecent'),
      ])
      .where((eb) => eb.or([eb('identifier_hash', '=', args.idHash), eb('ip', '=', args.ip)]))
      .where('at_ms', '>=', args.since),
);

/** Failures since `sinceMs` for this identifier, from this address, and from it since `floodSinceMs`. */
export async function failureCounts(
  db: Kysely<Database>,
  input: { idHash: string; ip: string; sinceMs: number; floodSinceMs: number },
) {
  const counts = await failureCountsQuery.one(db, {
    idHash: input.idHash,
    ip: input.ip,
    since: input.sinceMs,
    floodSince: input.floodSinceMs,
  });
  return {
    byIdentifier: Number(counts.byIdentifier ?? 0),
    byIp: Number(counts.byIp ?? 0),
    byIpRecent: Number(counts.byIpRecent ?? 0),
  };
}

export async function insertLoginFailure(db: Kysely<Database>, ip: string, idHash: string, nowMs: number) {
  await db
    .insertInto('login_failure')
    .values({ id: newId<'LoginFailure'>(), ip, identifier_hash: idHash, at_ms: nowMs })
    .execute();
}

/** The lock state of an identifier that names nobody, locked for the rest of the transaction. */
export function lockedUnknownIdentifier(trx: Tx, idHash: string) {
  return trx
    .selectFrom('unknown_identifier_lock')
    .selectAll()
    .where('identifier_hash', '=', idHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function writeUnknownIdentifierState(
  trx: Tx,
  idHash: string,
  state: { failedCount: number; lockedUntilMs: number | null; nowMs: number },
) {
  const values = { failed_count: state.failedCount, locked_until_ms: state.lockedUntilMs, updated_at_ms: state.nowMs };
  await trx
    .insertInto('unknown_identifier_lock')
    .values({ identifier_hash: idHash, ...values })
    .onConflict((oc) => oc.column('identifier_hash').doUpdateSet(values))
    .execute();
}

// ——— Devices and sign-in history ———

// Prepared (compiled once): they run in every sign-in.
const markDeviceSeenQuery = preparedQuery(
  (db: Kysely<Database>, args: { customerId: string; deviceHash: string; nowMs: number; ip: string }) =>
    db
      .updateTable('known_device')
      .set({ last_seen_at_ms: args.nowMs, last_ip: args.ip })
      .where('customer_id', '=', args.customerId)
      .where('device_hash', '=', args.deviceHash)
      .returning('id'),
);
const successFromNetworkQuery = preparedQuery((db: Kysely<Database>, args: { customerId: string; network: string }) =>
  db
    .selectFrom('login_event')
    .select('id')
    .where('customer_id', '=', args.customerId)
    .where('network', '=', args.network)
    .where('result', '=', 'success')
    .limit(1),
);
const insertLoginEventQuery = preparedQuery(
  (
    db: Kysely<Database>,
    args: {
      id: string;
      customerId: string;
      nowMs: number;
      channel: string;
      device: string;
      ip: string;
      network: string;
      result: string;
    },
  ) =>
    db.insertInto('login_event').values({
      id: args.id,
      customer_id: args.customerId,
      at_ms: args.nowMs,
      channel: args.channel,
      device: args.device,
      ip: args.ip,
      network: args.network,
      result: args.result,
    }),
);

/** Marks a known device seen; false when the customer has not used this device before. */
export async function markDeviceSeen(trx: Tx, customerId: string, deviceHash: string, nowMs: number, ip: string) {
  return (await markDeviceSeenQuery.first(trx, { customerId, deviceHash, nowMs, ip })) !== undefined;
}

/** Whether the customer has signed in successfully from this network before. */
export async function hasSignedInFromNetwork(db: Kysely<Database>, customerId: string, network: string) {
  return (await successFromNetworkQuery.first(db, { customerId, network })) !== undefined;
}

export async function rememberDevice(
  trx: Tx,
  input: { customerId: string; deviceHash: string; label: string; nowMs: number; ip: string },
) {
  await trx
    .insertInto('known_device')
    .values({
      id: newId<'Device'>(),
      customer_id: input.customerId,
      device_hash: input.deviceHash,
      label: input.label,
      first_seen_at_ms: input.nowMs,
      last_seen_at_ms: input.nowMs,
      last_ip: input.ip,
    })
    .onConflict((oc) =>
      oc.columns(['customer_id', 'device_hash']).doUpdateSet({ last_seen_at_ms: input.nowMs, last_ip: input.ip }),
    )
    .execute();
}

export function devicesOf(db: Kysely<Database>, customerId: string, limit: number) {
  return db
    .selectFrom('known_device')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('last_seen_at_ms', 'desc')
    .limit(limit)
    .execute();
}

/** The hash of one of the customer's known devices, when it is theirs. */
export async function knownDeviceHash(trx: Tx, customerId: string, deviceId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('known_device')
    .select('device_hash')
    .where('id', '=', deviceId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row?.device_hash;
}

/** Forgets one of the customer's devices; false when there was no such device of theirs. */
export async function deleteDevice(trx: Tx, customerId: string, deviceId: string) {
  const result = await trx
    .deleteFrom('known_device')
    .where('id', '=', deviceId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export type LoginEventInput = {
  customerId: string;
  nowMs: number;
  channel: string;
  device: string;
  ip: string;
  network: string;
  result: string;
};

export function insertLoginEvent(trx: Tx, input: LoginEventInput) {
  return insertLoginEventQuery.run(trx, { id: newId<'LoginEvent'>(), ...input });
}

export function loginEventsOf(db: Kysely<Database>, customerId: string, limit: number) {
  return db
    .selectFrom('login_event')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('at_ms', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The customer's successful sign-ins at or before a time, newest first: the overview's "last sign-in" is
 * the second of them (the first is the sign-in of the session asking).
 */
export function signInsUpTo(db: Kysely<Database>, customerId: string, uptoMs: number, limit: number) {
  return db
    .selectFrom('login_event')
    .select(['at_ms', 'ip'])
    .where('customer_id', '=', customerId)
    .where('result', '=', 'success')
    .where('at_ms', '<=', uptoMs)
    .orderBy('at_ms', 'desc')
    .limit(limit)
    .execute();
}

// ——— Housekeeping ———

/** Deletes what nobody can use any more (housekeeping.ts decides the cut-offs); returns the rows removed. */
export async function purgeAuthRows(
  db: Kysely<Database>,
  cutoffs: {
    attemptsBeforeMs: number;
    captchasBeforeMs: number;
    failuresBeforeMs: number;
    sessionsEndedBeforeMs: number;
    unknownIdentifiersIdleBeforeMs: number;
  },
) {
  const removed = await Promise.all([
    db.deleteFrom('login_attempt').where('expires_at_ms', '<', cutoffs.attemptsBeforeMs).executeTakeFirst(),
    db.deleteFrom('captcha').where('expires_at_ms', '<', cutoffs.captchasBeforeMs).executeTakeFirst(),
    db.deleteFrom('login_failure').where('at_ms', '<', cutoffs.failuresBeforeMs).executeTakeFirst(),
    db
      .deleteFrom('session')
      .where((eb) =>
        eb.or([
          eb('expires_at_ms', '<', cutoffs.sessionsEndedBeforeMs),
          eb('revoked_at_ms', '<', cutoffs.sessionsEndedBeforeMs),
        ]),
      )
      .executeTakeFirst(),
    db
      .deleteFrom('unknown_identifier_lock')
      .where('updated_at_ms', '<', cutoffs.unknownIdentifiersIdleBeforeMs)
      .where((eb) =>
        eb.or([eb('locked_until_ms', 'is', null), eb('locked_until_ms', '<', cutoffs.unknownIdentifiersIdleBeforeMs)]),
      )
      .executeTakeFirst(),
  ]);
  return removed.reduce((sum, r) => sum + Number(r.numDeletedRows), 0);
}

import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.ts';
import { preparedQuery } from '../platform/db/prepared.ts';

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
    otp_id: string | null;
    /** After the password change, a security check is still owed. */
    then_challenge: boolean;
    created_at_ms: number;
    expires_at_ms: number;
  };
  login_failure: { id: string; ip: string; identifier_hash: string; at_ms: number };
  known_device: {
    id: string;
    customer_id: string;
    device_hash: string;
    label: string;
    first_seen_at_ms: number;
    last_seen_at_ms: number;
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

export function credentialOf(db: Kysely<Database>, customerId: string, options: { lock?: boolean } = {}) {
  return (options.lock ? lockedCredentialQuery : credentialQuery).first(db, { customerId });
}

export async function customerIdByUsernameOrLoginName(db: Kysely<Database>, text: string) {
  return (await customerIdByNameQuery.first(db, { name: text.toLowerCase() }))?.customer_id ?? null;
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseMoney } from './money.ts';

/** The server's configuration, read once at start from the environment (API.md, "Running"). */
export type Config = {
  readonly env: 'development' | 'test' | 'production';
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly demo: boolean;
  /** 32 bytes of key material: cookie/CSRF MACs and encryption of security-media secrets. */
  readonly secret: Buffer;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  readonly rateLimitPerMinute: number;
  readonly trustProxy: boolean;
  readonly outboxPollIntervalMs: number;
  readonly pgPoolSize: number;
  readonly sessionIdleTimeoutSeconds: number;
  readonly sessionAbsoluteTimeoutSeconds: number;
  readonly loginMaxFailures: number;
  readonly loginLockSeconds: number;
  readonly argon2MemoryKib: number;
  readonly argon2TimeCost: number;
  readonly argon2Parallelism: number;
  /**
   * How many Argon2id computations may be running or queued on libuv's thread pool at once (default:
   * twice the cores; see platform/secret-hash.ts).
   */
  readonly argon2Concurrency: number;
  readonly bankCardPrefix: string;
  readonly clearingSettleDelaySeconds: number;
  /**
   * A pause between the chunks of a payroll batch's execution (0: none), so that a large batch leaves
   * the database to online payments between its transactions; the crash test uses it to be killed halfway.
   */
  readonly payrollChunkPauseMs: number;
  /** Payment limits of each security tier (ARCHITECTURE.md, "Tiers and limits"). */
  readonly tierLimits: Readonly<Record<TierName, TierLimits>>;
  /**
   * The bearer token /metrics asks for; null leaves /metrics open outside production and off in
   * production, where the figures would tell anyone the bank's load and its failures.
   */
  readonly metricsToken: string | null;
  /** Serve /api/docs and /api/openapi.json (always outside production; in production only when asked). */
  readonly publicDocs: boolean;
  /**
   * The WebAuthn relying party ID (a U-shield's and a passkey's credentials are bound to it): a host
   * name, never an IP address. Required in production; `localhost` elsewhere.
   */
  readonly webauthnRpId: string;
  /** The origin customers' browsers load the bank from (`https://ebank.example.com`); WebAuthn checks it. */
  readonly publicOrigin: string;
};

/** The security tiers, weakest first: a customer's tier is their strongest active medium. */
export const TIER_NAMES = ['static', 'sms', 'password_card', 'e_token', 'u_shield'] as const;
export type TierName = (typeof TIER_NAMES)[number];
/** A tier's limits in fen; `lifetimeFen` caps everything ever paid (the static-password tier's rule). */
export type TierLimits = {
  readonly perPaymentFen: number;
  readonly dailyFen: number;
  readonly lifetimeFen: number | null;
};

/**
 * The bank's default limits. A static-password customer may pay 300 yuan in total, ever, until they
 * get a stronger medium at the counter (seed 001); the U-shield's are so high that it is, as the bank
 * says, "not controlled by the transaction limit". `JINKU_LIMITS_<TIER>` overrides one tier.
 */
const DEFAULT_TIER_LIMITS: Readonly<Record<TierName, TierLimits>> = {
  static: { perPaymentFen: 30_000, dailyFen: 30_000, lifetimeFen: 30_000 },
  sms: { perPaymentFen: 500_000, dailyFen: 1_000_000, lifetimeFen: null },
  password_card: { perPaymentFen: 1_000_000, dailyFen: 5_000_000, lifetimeFen: null },
  e_token: { perPaymentFen: 50_000_000, dailyFen: 100_000_000, lifetimeFen: null },
  u_shield: { perPaymentFen: 100_000_000, dailyFen: 500_000_000, lifetimeFen: null },
};

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration; throws ConfigError naming every bad value at once. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const jinkuEnv = read.oneOf('JINKU_ENV', ['development', 'test', 'production'] as const, 'development');
  const production = jinkuEnv === 'production';
  const databaseUrl = env.DATABASE_URL?.trim() || 'sqlite:./data/jinku.db';
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with "sqlite:" or "postgres://" (got something else)');
  }
  if (production && !databaseUrl.startsWith('postgres')) {
    problems.push(
      'JINKU_ENV=production needs a PostgreSQL DATABASE_URL (postgres://…); SQLite is for one-process installs',
    );
  }
  if (
    production &&
    databaseUrl.startsWith('postgres') &&
    !/[?&]sslmode=(require|verify-ca|verify-full)/.test(databaseUrl)
  ) {
    problems.push(
      'JINKU_ENV=production needs TLS to PostgreSQL: add ?sslmode=verify-full (or require/verify-ca) to DATABASE_URL',
    );
  }
  const demo = read.bool('JINKU_DEMO', !production);
  if (production && demo) problems.push('JINKU_DEMO cannot be true when JINKU_ENV=production');
  const secret = readSecret(env, production, databaseUrl, problems);
  const port = read.int('PORT', 3000, 0, 65535);
  const config: Config = {
    env: jinkuEnv,
    host: env.HOST?.trim() || '127.0.0.1',
    port,
    databaseUrl,
    demo,
    secret,
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    bodyLimitBytes: read.int('JINKU_BODY_LIMIT_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    rateLimitPerMinute: read.int('JINKU_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    trustProxy: read.bool('JINKU_TRUST_PROXY', false),
    outboxPollIntervalMs: read.int('JINKU_OUTBOX_POLL_MS', 500, 10, 60_000),
    pgPoolSize: read.int('JINKU_PG_POOL_SIZE', 10, 1, 200),
    sessionIdleTimeoutSeconds: read.int('JINKU_SESSION_IDLE_SECONDS', 600, 60, 86_400),
    sessionAbsoluteTimeoutSeconds: read.int('JINKU_SESSION_ABSOLUTE_SECONDS', 12 * 3600, 300, 7 * 86_400),
    loginMaxFailures: read.int('JINKU_LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockSeconds: read.int('JINKU_LOGIN_LOCK_SECONDS', 24 * 3600, 60, 30 * 86_400),
    argon2MemoryKib: read.int('JINKU_ARGON2_MEMORY_KIB', 19 * 1024, 8, 4 * 1024 * 1024),
    argon2TimeCost: read.int('JINKU_ARGON2_TIME_COST', 2, 1, 100),
    argon2Parallelism: read.int('JINKU_ARGON2_PARALLELISM', 1, 1, 16),
    argon2Concurrency: read.int('JINKU_ARGON2_CONCURRENCY', 2 * availableParallelism(), 1, 256),
    bankCardPrefix: read.pattern(
      'JINKU_CARD_PREFIX',
      /^\d{6}$/,
      '622888',
      'six digits (the bank identification number)',
    ),
    clearingSettleDelaySeconds: read.int('JINKU_CLEARING_SETTLE_SECONDS', 30, 0, 86_400),
    payrollChunkPauseMs: read.int('JINKU_PAYROLL_CHUNK_PAUSE_MS', 0, 0, 10_000),
    tierLimits: Object.fromEntries(
      TIER_NAMES.map((tier) => [
        tier,
        read.tierLimits(`JINKU_LIMITS_${tier.toUpperCase()}`, DEFAULT_TIER_LIMITS[tier]),
      ]),
    ) as Record<TierName, TierLimits>,
    metricsToken: readMetricsToken(env, problems),
    publicDocs: read.bool('JINKU_PUBLIC_DOCS', !production),
    ...readWebAuthn(env, production, port, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * The WebAuthn relying party: `JINKU_WEBAUTHN_RP_ID` (a host name: an IP address is not a valid RP ID)
 * and `JINKU_PUBLIC_ORIGIN` (scheme, host and port only), whose host must be the RP ID or under it.
 * Production requires both; elsewhere they default to `localhost` and `http://localhost:<PORT>`.
 */
function readWebAuthn(
  env: Env,
  production: boolean,
  port: number,
  problems: string[],
): { webauthnRpId: string; publicOrigin: string } {
  const givenRpId = env.JINKU_WEBAUTHN_RP_ID?.trim();
  const givenOrigin = env.JINKU_PUBLIC_ORIGIN?.trim();
  if (production && !givenRpId) problems.push('JINKU_WEBAUTHN_RP_ID is required when JINKU_ENV=production');
  if (production && !givenOrigin) problems.push('JINKU_PUBLIC_ORIGIN is required when JINKU_ENV=production');
  const webauthnRpId = (givenRpId || 'localhost').toLowerCase();
  const publicOrigin = givenOrigin || `http://localhost:${port}`;
  if (!/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(webauthnRpId)) {
    problems.push('JINKU_WEBAUTHN_RP_ID must be a host name such as ebank.example.com');
  } else if (/^[\d.]+$/.test(webauthnRpId)) {
    problems.push('JINKU_WEBAUTHN_RP_ID must be a host name: an IP address is not a valid WebAuthn RP ID');
  }
  let origin: URL | null = null;
  try {
    origin = new URL(publicOrigin);
  } catch {
    problems.push('JINKU_PUBLIC_ORIGIN must be an origin such as https://ebank.example.com');
  }
  if (origin) {
    if (!['http:', 'https:'].includes(origin.protocol) || origin.origin !== publicOrigin.replace(/\/$/, '')) {
      problems.push(
        'JINKU_PUBLIC_ORIGIN must be an origin (scheme, host and port only) such as https://ebank.example.com',
      );
    } else if (origin.hostname !== webauthnRpId && !origin.hostname.endsWith(`.${webauthnRpId}`)) {
      problems.push('JINKU_PUBLIC_ORIGIN must be on the host JINKU_WEBAUTHN_RP_ID names (or under it)');
    } else if (production && origin.protocol !== 'https:') {
      problems.push('JINKU_PUBLIC_ORIGIN must be https:// when JINKU_ENV=production');
    }
  }
  return { webauthnRpId, publicOrigin: origin?.origin ?? publicOrigin };
}

/** At least 128 bits when written as hex or base64, so it cannot be guessed. */
const METRICS_TOKEN_MIN_CHARS = 24;

function readMetricsToken(env: Env, problems: string[]): string | null {
  const token = env.JINKU_METRICS_TOKEN?.trim();
  if (!token) return null;
  if (token.length < METRICS_TOKEN_MIN_CHARS || !/^[\x21-\x7e]+$/.test(token)) {
    problems.push(
      `JINKU_METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_CHARS} printable characters (\`openssl rand -hex 24\`)`,
    );
    return null;
  }
  return token;
}

/**
 * True for key material a person typed rather than a random source made: one byte repeated, a short
 * pattern repeated (`abab…`, `0123456701234567…`), or few distinct bytes. 32 random bytes have about 30
 * distinct values; fewer than 12 happens by chance with a probability far below 2^-100.
 */
export function looksLowEntropy(secret: Buffer): boolean {
  const distinct = new Set(secret).size;
  if (distinct < 12) return true;
  for (let period = 1; period <= secret.length / 2; period++) {
    let repeats = true;
    for (let i = period; i < secret.length && repeats; i++) repeats = secret[i] === secret[i - period];
    if (repeats) return true;
  }
  return false;
}

function readSecret(env: Env, production: boolean, databaseUrl: string, problems: string[]): Buffer {
  const given = env.JINKU_SECRET?.trim();
  if (given) {
    const bytes = /^[0-9a-f]{64}$/i.test(given) ? Buffer.from(given, 'hex') : Buffer.from(given, 'base64');
    if (bytes.length < 32) problems.push('JINKU_SECRET must be at least 32 bytes (64 hex digits or base64)');
    else if (production && looksLowEntropy(bytes)) {
      problems.push('JINKU_SECRET looks typed, not random (a repeated byte or pattern): use `openssl rand -hex 32`');
    }
    return bytes;
  }
  if (production) {
    problems.push('JINKU_SECRET is required when JINKU_ENV=production (64 hex digits: `openssl rand -hex 32`)');
    return Buffer.alloc(32);
  }
  // Outside production the key is generated once and kept beside the SQLite file (or in ./data for PostgreSQL),
  // so sessions and encrypted media secrets survive a restart of a developer's server.
  const dir = databaseUrl.startsWith('sqlite:')
    ? dirname(resolve(databaseUrl.slice('sqlite:'.length)))
    : resolve('data');
  const path = resolve(dir, 'jinku.secret');
  if (databaseUrl === 'sqlite::memory:') return randomBytes(32);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
}

class EnvReader {
  readonly #env: Env;
  readonly #problems: string[];
  constructor(env: Env, problems: string[]) {
    this.#env = env;
    this.#problems = problems;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.#env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      this.#problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.#env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    this.#problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.#env[name]?.trim();
    if (!raw) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.#problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  }

  /** `per-payment/daily[/total]` in yuan with two decimals, e.g. `5000.00/10000.00`. */
  tierLimits(name: string, fallback: TierLimits): TierLimits {
    const raw = this.#env[name]?.trim();
    if (!raw) return fallback;
    const parts = raw.split('/').map((part) => parseMoney(part.trim()));
    const fen = parts.map((p) => (p.ok ? p.fen : null));
    if (parts.length < 2 || parts.length > 3 || fen.some((f) => f === null) || fen[0]! > fen[1]!) {
      this.#problems.push(`${name} must be per-payment/daily[/total] in yuan, per-payment ≤ daily (got "${raw}")`);
      return fallback;
    }
    return { perPaymentFen: fen[0]!, dailyFen: fen[1]!, lifetimeFen: fen[2] ?? null };
  }

  pattern(name: string, re: RegExp, fallback: string, what: string): string {
    const raw = this.#env[name]?.trim();
    if (!raw) return fallback;
    if (re.test(raw)) return raw;
    this.#problems.push(`${name} must be ${what} (got "${raw}")`);
    return fallback;
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { assert } from '../platform/assert.ts';

/**
 * OCRA, the OATH challenge-response algorithm (RFC 6287), as an e-password device (电子密码器) computes it:
 * the customer keys the challenge into the device and types back its answer. Only numeric challenges
 * (QNxx) are implemented, since a device with a numeric keypad is what the bank hands out; the parser
 * refuses alphanumeric and hex challenges and session information rather than half-support them.
 */

/** The bank's device suite: SHA-256, 6 digits, an 8-digit numeric challenge and a one-minute time step. */
export const E_TOKEN_SUITE = 'OCRA-1:HOTP-SHA256-6:QN08-T1M';

export type OcraHash = 'sha1' | 'sha256' | 'sha512';

/** A parsed OCRA suite (RFC 6287 section 6): what goes into DataInput and how long the answer is. */
export type OcraSuite = {
  readonly text: string;
  readonly hash: OcraHash;
  readonly digits: number;
  readonly counter: boolean;
  readonly challengeMaxDigits: number;
  readonly passwordHash: OcraHash | null;
  readonly timeStepSeconds: number | null;
};

export type ParsedOcraSuite = { ok: true; suite: OcraSuite } | { ok: false; reason: string };

const HASH_BYTES: Record<OcraHash, number> = { sha1: 20, sha256: 32, sha512: 64 };
const TIME_UNIT_SECONDS = { S: 1, M: 60, H: 3600 } as const;
// RFC 6287 section 6.3 bounds the time-step granularity per unit: 1-59 seconds, 1-59 minutes, 0-48 hours
// (a zero-hour step divides by zero, so hours start at 1 here).
const TIME_UNIT_MAX = { S: 59, M: 59, H: 48 } as const;

/**
 * Parses `OCRA-1:HOTP-<hash>-<digits>:[C-]QNxx[-P<hash>][-T<n><unit>]` (RFC 6287 section 6). Suites this
 * module cannot compute, such as QA/QH challenges, session information or untruncated answers, are refused.
 */
export function parseOcraSuite(text: string): ParsedOcraSuite {
  const parts = text.split(':');
  if (parts.length !== 3 || parts[0] !== 'OCRA-1') return { ok: false, reason: 'not an OCRA-1 suite' };
  const crypto = /^HOTP-SHA(1|256|512)-(\d{1,2})$/.exec(parts[1] ?? '');
  if (!crypto) return { ok: false, reason: 'crypto function must be HOTP-SHA1, -SHA256 or -SHA512' };
  const digits = Number(crypto[2]);
  // Section 6.2 allows 0 (the whole HMAC) and 4-10 digits; a device shows digits, so 0 is not supported.
  if (digits < 4 || digits > 10) return { ok: false, reason: 'answer length must be 4 to 10 digits' };
  const data = /^(C-)?QN(\d\d)(?:-PSHA(1|256|512))?(?:-T(\d{1,2})([SMH]))?$/.exec(parts[2] ?? '');
  if (!data) return { ok: false, reason: 'data input must be [C-]QNxx[-PSHAx][-Tnu]' };
  const challengeMaxDigits = Number(data[2]);
  if (challengeMaxDigits < 4 || challengeMaxDigits > 64) return { ok: false, reason: 'QN length must be 04-64' };
  let timeStepSeconds: number | null = null;
  if (data[5] !== undefined) {
    const unit = data[5] as keyof typeof TIME_UNIT_SECONDS;
    const count = Number(data[4]);
    if (count < 1 || count > TIME_UNIT_MAX[unit]) return { ok: false, reason: 'time step out of range' };
    timeStepSeconds = count * TIME_UNIT_SECONDS[unit];
  }
  return {
    ok: true,
    suite: {
      text,
      hash: `sha${crypto[1]}` as OcraHash,
      digits,
      counter: data[1] !== undefined,
      challengeMaxDigits,
      passwordHash: data[3] === undefined ? null : (`sha${data[3]}` as OcraHash),
      timeStepSeconds,
    },
  };
}

/** Parses a suite the code itself names; an unsupported one is a bug, so it throws. */
export function ocraSuite(text: string): OcraSuite {
  const parsed = parseOcraSuite(text);
  assert(parsed.ok, `unsupported OCRA suite ${text}: ${parsed.ok ? '' : parsed.reason}`);
  return parsed.suite;
}

/** The inputs a suite may ask for; each must be present exactly when the suite names it. */
export type OcraInput = {
  key: Buffer;
  /** Decimal digits, at most the suite's QN length. */
  challenge: string;
  counter?: bigint | number;
  /** The PIN's hash under the suite's P hash (RFC 6287 section 5.1), not the PIN itself. */
  passwordHash?: Buffer;
  /** Whole time steps since the Unix epoch (see ocraTimeStep). */
  timeStep?: number;
};

/** The time step a suite's T field counts at `nowMs`: whole steps since 1970-01-01T00:00:00Z (RFC 6287 section 5.1). */
export function ocraTimeStep(suite: OcraSuite, nowMs: number): number {
  assert(suite.timeStepSeconds !== null, `${suite.text} has no time step`);
  return Math.floor(nowMs / 1000 / suite.timeStepSeconds);
}

/** The device's answer for these inputs: HOTP truncation of HMAC(key, DataInput) (RFC 6287 section 5.2). */
export function ocraResponse(suite: OcraSuite, input: OcraInput): string {
  const mac = createHmac(suite.hash, input.key).update(dataInput(suite, input)).digest();
  // Dynamic truncation exactly as HOTP (RFC 4226 section 5.3): the low nibble of the last byte picks
  // four bytes, whose top bit is dropped so the value reads the same signed or unsigned.
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** suite.digits).padStart(suite.digits, '0');
}

/**
 * DataInput = suite | 0x00 | C | Q | P | T (RFC 6287 section 5.1); fields the suite does not name are
 * absent, not zeroed, and a field given without being named (or named without being given) is a bug.
 */
function dataInput(suite: OcraSuite, input: OcraInput): Buffer {
  assert((input.counter !== undefined) === suite.counter, `${suite.text}: counter given iff C is in the suite`);
  assert((input.passwordHash !== undefined) === (suite.passwordHash !== null), `${suite.text}: P given iff named`);
  assert((input.timeStep !== undefined) === (suite.timeStepSeconds !== null), `${suite.text}: T given iff named`);
  const fields: Buffer[] = [Buffer.from(suite.text, 'utf8'), Buffer.from([0])];
  if (input.counter !== undefined) fields.push(uint64(BigInt(input.counter)));
  fields.push(numericChallenge(suite, input.challenge));
  if (input.passwordHash !== undefined && suite.passwordHash !== null) {
    assert(input.passwordHash.length === HASH_BYTES[suite.passwordHash], `${suite.text}: P has the wrong length`);
    fields.push(input.passwordHash);
  }
  if (input.timeStep !== undefined) fields.push(uint64(BigInt(input.timeStep)));
  return Buffer.concat(fields);
}

/**
 * Q is always 128 bytes. A numeric challenge is read as a decimal number, written in hexadecimal and
 * padded with zeros on the right (RFC 6287 section 5.1 and its reference code in appendix A), so
 * "22222222" = 0x153158e becomes 15 31 58 e0 00 ...
 */
function numericChallenge(suite: OcraSuite, challenge: string): Buffer {
  assert(/^\d+$/.test(challenge), 'an OCRA QN challenge is decimal digits');
  assert(challenge.length <= suite.challengeMaxDigits, `${suite.text}: challenge longer than QN allows`);
  const hex = BigInt(challenge).toString(16);
  const q = Buffer.alloc(128);
  Buffer.from(hex.length % 2 === 0 ? hex : `${hex}0`, 'hex').copy(q);
  return q;
}

function uint64(value: bigint): Buffer {
  assert(value >= 0n && value < 2n ** 64n, 'OCRA counter and time step are unsigned 64-bit');
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(value);
  return bytes;
}

/**
 * The 8-digit challenge for paying `payeeAccountNumber`: its last 4 digits, then 4 random digits
 * (`random4`, 0-9999, from a CSPRNG), so the device shows whom the customer is about to pay.
 */
export function eTokenChallenge(payeeAccountNumber: string, random4: number): string {
  const digits = payeeAccountNumber.replace(/[ -]/g, '');
  assert(/^\d{4,}$/.test(digits), 'a payee account number has at least 4 digits');
  assert(Number.isInteger(random4) && random4 >= 0 && random4 <= 9999, 'random4 is an integer 0-9999');
  return `${digits.slice(-4)}${String(random4).padStart(4, '0')}`;
}

export type OcraTimeCheck = { ok: true; timeStep: number } | { ok: false; reason: 'wrong' | 'replayed' };

/** What a time-based OCRA answer is checked against; `lastAcceptedStep` is the device's last step accepted, if any. */
export type OcraTimeVerification = Omit<OcraInput, 'timeStep'> & {
  response: string;
  nowMs: number;
  lastAcceptedStep?: number | null;
};

/**
 * Accepts an answer computed at the current time step or one either side of it, for drift between the
 * device's clock and ours (the allowance RFC 6238 section 6 recommends for time-based codes), and returns
 * the step that matched. A step at or before `lastAcceptedStep` is refused as replayed, so one device
 * answer is never accepted twice (RFC 6238 section 5.2).
 */
export function verifyOcraTimeWindow(suite: OcraSuite, check: OcraTimeVerification): OcraTimeCheck {
  const { response, nowMs, lastAcceptedStep, ...input } = check;
  const current = ocraTimeStep(suite, nowMs);
  if (!new RegExp(`^\\d{${suite.digits}}$`).test(response)) return { ok: false, reason: 'wrong' };
  const given = Buffer.from(response);
  let fresh: number | null = null;
  let replayed = false;
  // Every step of the window is computed and compared, whichever matches, so the time taken does not
  // tell which step a guess came closest to.
  for (const step of [current - 1, current, current + 1]) {
    if (step < 0) continue;
    const expected = Buffer.from(ocraResponse(suite, { ...input, timeStep: step }));
    if (!timingSafeEqual(expected, given)) continue;
    if (lastAcceptedStep != null && step <= lastAcceptedStep) replayed = true;
    else fresh ??= step;
  }
  if (fresh !== null) return { ok: true, timeStep: fresh };
  return { ok: false, reason: replayed ? 'replayed' : 'wrong' };
}

import { type Static, Type } from 'typebox';
import { PlaceView } from './schema.ts';

/**
 * QR login's HTTP contract (API.md, "Session and login": QR login). The web app imports the static
 * types through web/src/api/contract.ts.
 */

/** 256 random bits in base64url. */
export const QR_ID_PATTERN = '^[A-Za-z0-9_-]{43}$';
const Time = Type.String({ format: 'date-time' });

export const QrParams = Type.Object({ qrId: Type.String({ pattern: QR_ID_PATTERN }) }, { additionalProperties: false });

export const QrState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('scanned'),
  Type.Literal('approved'),
  Type.Literal('denied'),
  Type.Literal('expired'),
]);

/** Long polling: with `after`, the answer waits (up to 20 s) until the state is no longer that one. */
export const QrPollQuery = Type.Object({
  after: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('scanned')])),
});

export const QrApproveBody = Type.Object(
  {
    matchNumber: Type.Integer({ minimum: 0, maximum: 99 }),
    /** The login password, needed when the phone's session is older than the approval's freshness window. */
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);

export const QrCreated = Type.Object({
  qrId: Type.String(),
  /** What the QR code carries: `jinku://qr-login?id=<qrId>`. */
  payload: Type.String(),
  expiresAt: Time,
  /** The two-digit number the browser shows beside the code, for the phone to pick. */
  matchNumber: Type.Integer({ minimum: 10, maximum: 99 }),
});

export const QrStateAnswer = Type.Object({ state: QrState });

export const QrScanAnswer = Type.Object({
  requester: Type.Object({
    browser: Type.String(),
    os: Type.String(),
    ip: Type.String(),
    /** Where the browser's address is ("北京", "内网"), in the request's language (Accept-Language). */
    location: Type.Optional(Type.String()),
    /** The same place in both languages, for a page that switches language without asking again. */
    place: Type.Optional(PlaceView),
    /** When the browser asked for the code. */
    at: Time,
  }),
  /** Three two-digit numbers, one of them the browser's, in random order. */
  choices: Type.Array(Type.Integer({ minimum: 10, maximum: 99 }), { minItems: 3, maxItems: 3 }),
  /** Whether approving will ask the login password again (the phone's session is not fresh). */
  passwordRequired: Type.Boolean(),
});

export type QrCreated = Static<typeof QrCreated>;
export type QrState = Static<typeof QrState>;
export type QrStateAnswer = Static<typeof QrStateAnswer>;
export type QrScanAnswer = Static<typeof QrScanAnswer>;
export type QrApproveBody = Static<typeof QrApproveBody>;

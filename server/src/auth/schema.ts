import { type Static, Type } from 'typebox';
import { PersonText } from '../platform/text-schema.ts';
import { ID_PATTERN } from '../platform/ids.ts';

/**
 * The auth domain's HTTP contract (API.md, "Session and login" and "Security centre"): request bodies
 * and the answers, which Fastify validates and serialises with these schemas. A property missing here
 * is silently dropped from the answer, so every field the web app reads is declared.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
/** RFC 3339 UTC (API.md, "Conventions"). */
const Time = Type.String({ format: 'date-time' });
const Channel = Type.Union([Type.Literal('web'), Type.Literal('mobile')]);

// ——— Requests ———

export const AttemptParams = Type.Object(
  { attemptId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
export const CaptchaParams = Type.Object({ captchaId: Type.String({ pattern: ID_PATTERN }) });
export const IdParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

export const LoginBody = Type.Object(
  {
    identifier: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    captchaId: Type.Optional(Type.String({ pattern: ID_PATTERN })),
    captchaAnswer: Type.Optional(Type.String({ maxLength: 10 })),
    channel: Type.Optional(Channel),
  },
  { additionalProperties: false },
);
export const VerifyBody = Type.Object(
  { method: Type.String({ maxLength: 20 }), response: Type.String({ minLength: 1, maxLength: 8192 }) },
  { additionalProperties: false },
);
/** The media a sign-in's security check may ask (API.md, "Session and login"), least friction first. */
export const LoginMethod = Type.Union([
  Type.Literal('sms'),
  Type.Literal('password_card'),
  Type.Literal('totp'),
  Type.Literal('e_token'),
]);
/** POST /auth/login/{id}/challenge: another medium among the alternatives, or (without one) a resend. */
export const LoginChallengeBody = Type.Object({ method: Type.Optional(LoginMethod) }, { additionalProperties: false });
export const NewPasswordBody = Type.Object(
  { newPassword: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
/** The repeated request's answer to an SMS code (API.md, "Authorization"). */
const SmsAuthorization = Type.Object(
  {
    method: Type.Literal('sms'),
    challengeId: Type.String({ pattern: ID_PATTERN }),
    response: Type.String({ minLength: 1, maxLength: 16 }),
  },
  { additionalProperties: false },
);
export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 128 }),
    newPassword: Type.String({ minLength: 1, maxLength: 128 }),
    authorization: Type.Optional(SmsAuthorization),
  },
  { additionalProperties: false },
);
export const LoginNameBody = Type.Object(
  {
    loginName: Type.String({ maxLength: 40 }),
    authorization: Type.Optional(SmsAuthorization),
  },
  { additionalProperties: false },
);
export const ReservedMessageBody = Type.Object(
  // Shown on every payment confirmation: no control, bidi-override or lone-surrogate characters.
  { message: PersonText({ maxLength: 40 }) },
  { additionalProperties: false },
);

// ——— Answers ———

/** A 204 answer has no body. */
export const NoContent = Type.Null({ description: 'No content' });

/** The coarse place of an address (platform/geo.ts), named in both languages for the page to choose. */
export const PlaceView = Type.Object({
  kind: Type.Union([Type.Literal('china'), Type.Literal('abroad'), Type.Literal('private'), Type.Literal('unknown')]),
  zh: Type.String(),
  en: Type.String(),
});

export const CustomerView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  maskedMobile: Type.String(),
  loginName: Nullable(Type.String()),
  reservedMessage: Nullable(Type.String()),
  /** The sign-in before this one. */
  lastLoginAt: Nullable(Time),
  /** Where the sign-in before this one came from ("北京", "内网"), by its address. */
  lastLoginPlace: Nullable(PlaceView),
});

export const MaintenanceView = Type.Object({
  messageZh: Type.String(),
  messageEn: Type.String(),
  until: Nullable(Time),
});

export const SessionAnswer = Type.Object({
  authenticated: Type.Boolean(),
  csrfToken: Type.String(),
  idleTimeoutSeconds: Type.Integer(),
  maintenance: Type.Optional(MaintenanceView),
  customer: Type.Optional(CustomerView),
  session: Type.Optional(Type.Object({ channel: Type.String(), createdAt: Time, expiresAt: Time })),
});

export const CaptchaAnswer = Type.Object({
  captchaId: Type.String(),
  /** An SVG data URL. */
  image: Type.String(),
});
export const PasswordPolicyAnswer = Type.Object({
  minLength: Type.Integer(),
  maxLength: Type.Integer(),
  rules: Type.Array(
    Type.Object({
      rule: Type.Union([
        Type.Literal('length'),
        Type.Literal('characters'),
        Type.Literal('mix'),
        Type.Literal('common'),
        Type.Literal('personal'),
        Type.Literal('reused'),
        Type.Literal('temporary_format'),
      ]),
      live: Type.Boolean(),
      zh: Type.String(),
      en: Type.String(),
    }),
  ),
});
export const DevCaptchaAnswer = Type.Object({ answer: Type.String() });

/** An SMS code's challenge (API.md, "Authorization"). */
const SmsChallengeFields = {
  maskedMobile: Type.String(),
  resendAfterSeconds: Type.Integer(),
  expiresAt: Time,
};
export const SmsChallenge = Type.Object(SmsChallengeFields);
/**
 * The challenge of a sign-in names its method and carries that medium's fields beside it: where the SMS
 * code went, the two password-card cells, or the digits to key into the e-password device.
 */
export const LoginChallenge = Type.Union([
  Type.Object({ method: Type.Literal('sms'), ...SmsChallengeFields }),
  Type.Object({
    method: Type.Literal('password_card'),
    serial: Type.String(),
    cells: Type.Array(Type.String(), { minItems: 2, maxItems: 2 }),
  }),
  // A soft token: the authenticator app shows its code by itself.
  Type.Object({ method: Type.Literal('totp') }),
  Type.Object({
    method: Type.Literal('e_token'),
    serial: Type.String(),
    challenge: Type.String({ pattern: '^\\d{8}$' }),
  }),
]);
export type LoginChallenge = Static<typeof LoginChallenge>;
export type LoginMethod = Static<typeof LoginMethod>;

export const LoginAnswer = Type.Union([
  Type.Object({ state: Type.Literal('authenticated'), customer: CustomerView }),
  Type.Object({
    state: Type.Literal('challenge'),
    attemptId: Type.String(),
    challenge: LoginChallenge,
    /** The other media the customer may answer with instead (POST /auth/login/{id}/challenge). */
    alternatives: Type.Array(LoginMethod),
  }),
  Type.Object({ state: Type.Literal('change_password'), attemptId: Type.String() }),
]);
export type LoginAnswer = Static<typeof LoginAnswer>;

/** 202: the request waits for the customer's medium (API.md, "Authorization"). */
export const SmsAuthorizationRequired = Type.Object({
  status: Type.Literal('authorization_required'),
  challengeId: Type.String(),
  authorization: Type.Object({
    method: Type.Literal('sms'),
    challenge: SmsChallenge,
    alternatives: Type.Array(Type.String()),
  }),
});
export type SmsAuthorizationRequired = Static<typeof SmsAuthorizationRequired>;

export const LoginNameSet = Type.Object({ status: Type.Literal('completed'), loginName: Type.String() });
export const ReservedMessageAnswer = Type.Object({ message: Type.String() });

export const SessionList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      channel: Type.String(),
      ip: Nullable(Type.String()),
      userAgent: Nullable(Type.String()),
      /** The browser and system the user agent names ("Chrome · Windows"), read with a maintained parser. */
      device: Type.String(),
      /** Where the session's address is ("上海", "内网"). */
      place: PlaceView,
      createdAt: Time,
      lastSeenAt: Time,
      /** The session this request came with. */
      current: Type.Boolean(),
    }),
  ),
});
export const DeviceList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      firstSeenAt: Time,
      lastSeenAt: Time,
      /** The address of the device's latest sign-in. */
      lastIp: Nullable(Type.String()),
      /** Where that address is ("上海", "内网"). */
      lastPlace: PlaceView,
    }),
  ),
});
export const LoginHistory = Type.Object({
  items: Type.Array(
    Type.Object({
      at: Time,
      channel: Type.String(),
      device: Type.String(),
      ip: Nullable(Type.String()),
      place: PlaceView,
      result: Type.String(),
    }),
  ),
});

// ——— Static types (the web app imports these: web/src/api/contract.ts) ———

export type LoginBody = Static<typeof LoginBody>;
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;
export type CustomerView = Static<typeof CustomerView>;
export type MaintenanceView = Static<typeof MaintenanceView>;
export type SessionAnswer = Static<typeof SessionAnswer>;
export type CaptchaAnswer = Static<typeof CaptchaAnswer>;
export type PasswordPolicyAnswer = Static<typeof PasswordPolicyAnswer>;
export type SmsChallenge = Static<typeof SmsChallenge>;
export type LoginNameSet = Static<typeof LoginNameSet>;
export type ReservedMessageAnswer = Static<typeof ReservedMessageAnswer>;
export type SessionList = Static<typeof SessionList>;
export type DeviceList = Static<typeof DeviceList>;
export type LoginHistory = Static<typeof LoginHistory>;

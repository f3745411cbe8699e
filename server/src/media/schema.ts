import { ID_PATTERN } from '../platform/ids.ts';
import { type Static, Type } from 'typebox';

/** The security centre's media list and the password-card dev route on the wire (API.md, "Security centre"). */

/** The tier a customer's strongest active medium gives (media/tiers.ts). */
export const TierName = Type.Union([
  Type.Literal('static'),
  Type.Literal('sms'),
  Type.Literal('password_card'),
  Type.Literal('e_token'),
  Type.Literal('u_shield'),
]);

/** Every kind API.md names, so the contract does not drift as the remaining media arrive. */
export const MediumKindName = Type.Union([
  Type.Literal('sms'),
  Type.Literal('password_card'),
  Type.Literal('e_token'),
  Type.Literal('totp'),
  Type.Literal('u_shield'),
  Type.Literal('passkey'),
  Type.Literal('payment_password'),
]);

export const MediumStatusName = Type.Union([
  Type.Literal('issued'),
  Type.Literal('active'),
  Type.Literal('locked'),
  Type.Literal('revoked'),
  Type.Literal('lost'),
  Type.Literal('expired'),
]);

/** One medium: `serial` for a card or device, `usesLeft` for a password card. */
export const MediumItem = Type.Object({
  id: Type.String(),
  kind: MediumKindName,
  status: MediumStatusName,
  serial: Type.Optional(Type.String()),
  usesLeft: Type.Optional(Type.Integer({ minimum: 0 })),
  createdAt: Type.String({ format: 'date-time' }),
});

/** The customer's tier and media, oldest first. */
export const MediaList = Type.Object({ tier: TierName, items: Type.Array(MediumItem) });

/** A card's or device's serial as printed on it. */
export const SerialParams = Type.Object(
  { serial: Type.String({ pattern: '^[A-Z0-9]{1,32}$' }) },
  { additionalProperties: false },
);

/** Comma-separated cell names such as `B7,E3`; each is checked by parseCardCell. */
export const CardCellsQuery = Type.Object(
  { cells: Type.String({ minLength: 2, maxLength: 40 }) },
  { additionalProperties: false },
);

export const CardDigits = Type.Object({ digits: Type.String({ pattern: '^\\d+$' }) });

/** The 8-digit challenge an e-password device is given (the e-token dev route). */
export const ETokenChallengeQuery = Type.Object(
  { challenge: Type.String({ pattern: '^\\d{8}$' }) },
  { additionalProperties: false },
);

/** The 6 digits an e-password device shows for a challenge now. */
export const ETokenAnswer = Type.Object({ answer: Type.String({ pattern: '^\\d{6}$' }) });

export type MediumItem = Static<typeof MediumItem>;
export type MediaList = Static<typeof MediaList>;
export type CardDigits = Static<typeof CardDigits>;
export type ETokenAnswer = Static<typeof ETokenAnswer>;

/** An SMS challenge (API.md, "Authorization": `challenge` by method). */
export const SmsChallengeOut = Type.Object({
  maskedMobile: Type.String(),
  resendAfterSeconds: Type.Integer(),
  expiresAt: Type.String({ format: 'date-time' }),
});

/** The media the authorization service asks (API.md, "Authorization"). */
export const AuthMethodOut = Type.Union([
  Type.Literal('payment_password'),
  Type.Literal('sms'),
  Type.Literal('password_card'),
  Type.Literal('totp'),
  Type.Literal('e_token'),
  Type.Literal('u_shield'),
]);

/** WebAuthn's `PublicKeyCredentialRequestOptionsJSON`, for `@simplewebauthn/browser`'s startAuthentication. */
export const WebAuthnRequestOptionsOut = Type.Object(
  {
    challenge: Type.String(),
    timeout: Type.Optional(Type.Number()),
    rpId: Type.Optional(Type.String()),
    allowCredentials: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          type: Type.String(),
          transports: Type.Optional(Type.Array(Type.String())),
        }),
      ),
    ),
    userVerification: Type.Optional(Type.String()),
    extensions: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

/**
 * A challenge as the authorization pattern shows it, by method: an SMS code, two password-card cells, a soft token's code,
 * or the digits to key into the e-password device (the payee account's last four first).
 */
export const AuthorizationOut = Type.Union([
  Type.Object({
    method: Type.Literal('sms'),
    challenge: SmsChallengeOut,
    alternatives: Type.Array(AuthMethodOut),
  }),
  Type.Object({
    method: Type.Literal('password_card'),
    challenge: Type.Object({ serial: Type.String(), cells: Type.Array(Type.String(), { minItems: 2, maxItems: 2 }) }),
    alternatives: Type.Array(AuthMethodOut),
  }),
  Type.Object({
    // The customer types the six digits they chose: nothing to ask.
    method: Type.Literal('payment_password'),
    challenge: Type.Object({}),
    alternatives: Type.Array(AuthMethodOut),
  }),
  Type.Object({
    // The authenticator app shows its code by itself: nothing to ask.
    method: Type.Literal('totp'),
    challenge: Type.Object({}),
    alternatives: Type.Array(AuthMethodOut),
  }),
  Type.Object({
    method: Type.Literal('e_token'),
    challenge: Type.Object({ serial: Type.String(), challenge: Type.String({ pattern: '^\\d{8}$' }) }),
    alternatives: Type.Array(AuthMethodOut),
  }),
  Type.Object({
    // The U-shield signs SHA-256 of the payment's canonical form and a nonce: the browser asks the key.
    method: Type.Literal('u_shield'),
    challenge: Type.Object({ options: WebAuthnRequestOptionsOut }),
    alternatives: Type.Array(AuthMethodOut),
  }),
]);

/** 202: the request waits for the customer's medium (API.md, "Authorization"). */
export const AuthorizationRequired = Type.Object({
  status: Type.Literal('authorization_required'),
  challengeId: Type.String(),
  authorization: AuthorizationOut,
});

/** The repeated request's answer to its challenge. */
export const AuthorizationAnswerIn = Type.Object(
  {
    method: AuthMethodOut,
    challengeId: Type.String({ minLength: 1, maxLength: 64 }),
    response: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);

export const TotpEnrolBody = Type.Object(
  { authorization: Type.Optional(AuthorizationAnswerIn) },
  { additionalProperties: false },
);
/** A soft token being enrolled: the link an authenticator app reads, and the same as a QR code (a PNG data URL). */
export const TotpEnrolment = Type.Object({
  enrollmentId: Type.String(),
  otpauthUrl: Type.String(),
  qr: Type.String(),
});
export const TotpVerifyBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 16 }) },
  { additionalProperties: false },
);
export const EnrollmentParams = Type.Object(
  { enrollmentId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);

export type AuthorizationView = Static<typeof AuthorizationOut>;
export type AuthorizationRequired = Static<typeof AuthorizationRequired>;
export type TotpEnrolment = Static<typeof TotpEnrolment>;

export const PaymentPasswordBody = Type.Object(
  {
    paymentPassword: Type.String({ pattern: '^\\d{6}$' }),
    authorization: Type.Optional(AuthorizationAnswerIn),
  },
  { additionalProperties: false },
);

/** Starts a U-shield's certificate download (API.md, "Security centre"). */
export const UShieldRegistrationBody = Type.Object(
  {
    mediumId: Type.String({ minLength: 1, maxLength: 64 }),
    /** The PIN of the customer's bank card, checked before anything else when given. */
    cardPin: Type.String({ pattern: '^\\d{6}$' }),
    authorization: Type.Optional(AuthorizationAnswerIn),
  },
  { additionalProperties: false },
);
/** WebAuthn's `PublicKeyCredentialCreationOptionsJSON` for `@simplewebauthn/browser`'s startRegistration. */
export const WebAuthnCreationOptionsOut = Type.Object(
  {
    rp: Type.Object({ name: Type.String(), id: Type.Optional(Type.String()) }),
    user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }),
    challenge: Type.String(),
    pubKeyCredParams: Type.Array(Type.Object({ alg: Type.Number(), type: Type.String() })),
    timeout: Type.Optional(Type.Number()),
    excludeCredentials: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          type: Type.String(),
          transports: Type.Optional(Type.Array(Type.String())),
        }),
      ),
    ),
    authenticatorSelection: Type.Optional(
      Type.Object({
        authenticatorAttachment: Type.Optional(Type.String()),
        requireResidentKey: Type.Optional(Type.Boolean()),
        residentKey: Type.Optional(Type.String()),
        userVerification: Type.Optional(Type.String()),
      }),
    ),
    hints: Type.Optional(Type.Array(Type.String())),
    attestation: Type.Optional(Type.String()),
    extensions: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: true },
);
export const UShieldRegistration = Type.Object({ registrationId: Type.String(), options: WebAuthnCreationOptionsOut });
export const RegistrationParams = Type.Object(
  { registrationId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
/** The key's `RegistrationResponseJSON`, checked by @simplewebauthn/server. */
export const UShieldVerifyBody = Type.Object(
  {
    credential: Type.Object(
      {
        id: Type.String({ minLength: 1, maxLength: 1024 }),
        rawId: Type.String({ minLength: 1, maxLength: 1024 }),
        type: Type.String(),
        response: Type.Object(
          {
            clientDataJSON: Type.String({ maxLength: 8192 }),
            attestationObject: Type.String({ maxLength: 16384 }),
          },
          { additionalProperties: true },
        ),
        clientExtensionResults: Type.Object({}, { additionalProperties: true }),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: false },
);
export const UShieldActivated = Type.Object({
  id: Type.String(),
  kind: Type.Literal('u_shield'),
  status: Type.Literal('active'),
  serial: Type.Optional(Type.String()),
});
export type UShieldRegistration = Static<typeof UShieldRegistration>;
export type UShieldActivated = Static<typeof UShieldActivated>;

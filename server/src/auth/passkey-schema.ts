import { type Static, Type } from 'typebox';
import { AuthorizationAnswerIn, WebAuthnCreationOptionsOut, WebAuthnRequestOptionsOut } from '../media/schema.ts';
import { ID_PATTERN } from '../platform/ids.ts';

/** Passkeys (fingerprint / face login): the security centre's routes and the sign-in's (API.md). */

export const PasskeyLoginBody = Type.Object(
  { channel: Type.Optional(Type.Union([Type.Literal('web'), Type.Literal('mobile')])) },
  { additionalProperties: false },
);
export const PasskeyLoginStarted = Type.Object({ attemptId: Type.String(), options: WebAuthnRequestOptionsOut });
/** The authenticator's `AuthenticationResponseJSON`, as `@simplewebauthn/browser` gives it. */
export const PasskeyVerifyBody = Type.Object(
  {
    credential: Type.Object(
      {
        id: Type.String({ minLength: 1, maxLength: 1024 }),
        rawId: Type.String({ minLength: 1, maxLength: 1024 }),
        type: Type.String({ maxLength: 64 }),
        response: Type.Object(
          {
            clientDataJSON: Type.String({ maxLength: 8192 }),
            authenticatorData: Type.String({ maxLength: 8192 }),
            // Room for post-quantum signatures: an ML-DSA-87 signature is 4,627 bytes (6,170 in base64url),
            // and Chromium's authenticators may offer ML-DSA when the server lists it.
            signature: Type.String({ maxLength: 8192 }),
            userHandle: Type.Optional(Type.String({ maxLength: 1024 })),
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

export const PasskeyRegistrationBody = Type.Object(
  { authorization: Type.Optional(AuthorizationAnswerIn) },
  { additionalProperties: false },
);
export const PasskeyRegistration = Type.Object({ registrationId: Type.String(), options: WebAuthnCreationOptionsOut });
export const PasskeyItem = Type.Object({
  id: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.String(),
});
export const PasskeyActivated = Type.Object({
  id: Type.String(),
  kind: Type.Literal('passkey'),
  status: Type.Literal('active'),
  createdAt: Type.String(),
  lastUsedAt: Type.String(),
});
export const PasskeyList = Type.Object({ items: Type.Array(PasskeyItem) });
export const PasskeyParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });

export type PasskeyLoginStarted = Static<typeof PasskeyLoginStarted>;
export type PasskeyRegistration = Static<typeof PasskeyRegistration>;
export type PasskeyActivated = Static<typeof PasskeyActivated>;
export type PasskeyList = Static<typeof PasskeyList>;

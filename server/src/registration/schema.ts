import { type Static, Type } from 'typebox';
import { CustomerView } from '../auth/schema.ts';
import { AuthMethodOut, AuthorizationOut } from '../media/schema.ts';
import { ID_PATTERN } from '../platform/ids.ts';
import { PersonText } from '../platform/text-schema.ts';

/** The registration domain's HTTP contract (API.md, "Registration and passwords"). */

const Mobile = Type.String({ pattern: '^1\\d{10}$' });
/** A card number as typed: 19 digits, spaces allowed between groups. */
const CardNumber = Type.String({ minLength: 16, maxLength: 24, pattern: '^[0-9 ]+$' });
const CardPin = Type.String({ pattern: '^\\d{6}$' });
/** A resident ID number: 17 digits and a check character (checked against the records, not here). */
const IdNumber = Type.String({ pattern: '^\\d{17}[\\dXx]$' });
const SmsCode = Type.String({ minLength: 1, maxLength: 16 });
const Password = Type.String({ minLength: 1, maxLength: 128 });
const AgreementVersion = Type.String({ minLength: 1, maxLength: 40 });

export const Agreement = Type.Object({
  version: Type.String(),
  titleZh: Type.String(),
  bodyZh: Type.String(),
  titleEn: Type.String(),
  bodyEn: Type.String(),
});

export const SmsBody = Type.Object(
  {
    mobile: Mobile,
    purpose: Type.Union([Type.Literal('self'), Type.Literal('mobile'), Type.Literal('reset')]),
  },
  { additionalProperties: false },
);
export const SmsSent = Type.Object({ maskedMobile: Type.String(), resendAfterSeconds: Type.Integer() });

export const SelfBody = Type.Object(
  {
    cardNumber: CardNumber,
    cardPin: CardPin,
    name: PersonText({ minLength: 1, maxLength: 50 }),
    idNumber: IdNumber,
    mobile: Mobile,
    smsCode: SmsCode,
    password: Password,
    agreementVersion: AgreementVersion,
  },
  { additionalProperties: false },
);
export const MobileBody = Type.Object(
  { mobile: Mobile, smsCode: SmsCode, password: Password, agreementVersion: AgreementVersion },
  { additionalProperties: false },
);
export const Registered = Type.Object({ customer: CustomerView });

export const BindBody = Type.Object(
  { cardNumber: CardNumber, cardPin: CardPin, idNumber: IdNumber },
  { additionalProperties: false },
);
export const CardBinding = Type.Object({ cardBound: Type.Boolean() });

export const ResetBody = Type.Object(
  {
    identifier: Type.String({ minLength: 1, maxLength: 64 }),
    cardNumber: CardNumber,
    cardPin: CardPin,
    idNumber: IdNumber,
    captchaId: Type.String({ pattern: ID_PATTERN }),
    captchaAnswer: Type.String({ minLength: 1, maxLength: 10 }),
  },
  { additionalProperties: false },
);
export const ResetParams = Type.Object(
  { resetId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
/** A reset and the challenge of the customer's medium (API.md, "Authorization"). */
export const ResetStarted = Type.Object({ resetId: Type.String(), authorization: AuthorizationOut });
export const ResetVerifyBody = Type.Object(
  {
    method: Type.String({ minLength: 1, maxLength: 20 }),
    // The digits a medium shows, or a U-shield's assertion (`AuthenticationResponseJSON`).
    response: Type.Union([
      Type.String({ minLength: 1, maxLength: 8192 }),
      Type.Object({}, { additionalProperties: true, maxProperties: 16 }),
    ]),
  },
  { additionalProperties: false },
);
export const ResetVerified = Type.Object({
  status: Type.Literal('verified'),
  /** The new password must be set before this. */
  expiresAt: Type.String({ format: 'date-time' }),
});
export const ResetChallengeBody = Type.Object(
  { method: Type.Optional(AuthMethodOut) },
  { additionalProperties: false },
);
export const ResetPasswordBody = Type.Object({ newPassword: Password }, { additionalProperties: false });
export const NoContent = Type.Null({ description: 'No content' });

export type Agreement = Static<typeof Agreement>;
export type SmsBody = Static<typeof SmsBody>;
export type SmsSent = Static<typeof SmsSent>;
export type SelfBody = Static<typeof SelfBody>;
export type MobileBody = Static<typeof MobileBody>;
export type Registered = Static<typeof Registered>;
export type BindBody = Static<typeof BindBody>;
export type CardBinding = Static<typeof CardBinding>;
export type ResetBody = Static<typeof ResetBody>;
export type ResetStarted = Static<typeof ResetStarted>;
export type ResetVerified = Static<typeof ResetVerified>;

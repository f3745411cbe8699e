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

export type MediumItem = Static<typeof MediumItem>;
export type MediaList = Static<typeof MediaList>;
export type CardDigits = Static<typeof CardDigits>;

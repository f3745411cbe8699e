import { type Static, Type } from 'typebox';
import { AuthMethodOut, AuthorizationOut } from '../media/schema.ts';
import { MoneySchema } from '../platform/money.ts';

/** The gateway's signed form: parameter names to raw values (the service checks each one). */
export const GatewayForm = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 16_384 }), {
  maxProperties: 32,
});

/** The bank's public key, PEM (text/plain). */
export const PublicKeyPem = Type.String({ description: 'SubjectPublicKeyInfo PEM, text/plain' });
export const PublicKeyQuery = Type.Object(
  { version: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$' })) },
  { additionalProperties: false },
);

/** The plain HTML page a browser sees when the merchant's request is refused: no order was made. */
export const GatewayErrorPage = Type.String({ description: 'text/html error page' });

/**
 * The gateway API's answer, sent as the exact JSON text that was signed:
 * `{"<method with _ for .>_response": {"code", "msg", …}, "sign": "<base64 over the response object's JSON>"}`.
 */
export const GatewayApiAnswer = Type.String({ description: 'application/json text, signed by the bank' });

/** 303 to the checkout page `/pay/{tradeNo}`: no body. */
export const SeeOther = Type.Null({ description: 'Location: /pay/{tradeNo}' });

export const TradeNoParams = Type.Object(
  { tradeNo: Type.String({ pattern: '^\\d{8,40}$' }) },
  { additionalProperties: false },
);

export const TradeStatusOut = Type.Union([
  Type.Literal('WAIT_BUYER_PAY'),
  Type.Literal('TRADE_SUCCESS'),
  Type.Literal('TRADE_CLOSED'),
  Type.Literal('TRADE_FINISHED'),
]);

/** GET /api/v1/checkout/{tradeNo}: what the checkout page shows. */
export const CheckoutOut = Type.Object({
  tradeNo: Type.String(),
  merchant: Type.Object({ name: Type.String() }),
  subject: Type.String(),
  amount: MoneySchema,
  status: TradeStatusOut,
  expiresAt: Type.String({ format: 'date-time' }),
});

export const CheckoutPayBody = Type.Object(
  {
    fromAccountId: Type.String({ minLength: 1, maxLength: 64 }),
    method: Type.Optional(AuthMethodOut),
  },
  { additionalProperties: false },
);

/** The answer of pay, authorize and challenge. */
export const CheckoutAnswerOut = Type.Object({
  status: Type.Union([Type.Literal('authorization_required'), Type.Literal('completed')]),
  authorization: Type.Optional(AuthorizationOut),
  returnUrl: Type.Optional(Type.String()),
});

export type CheckoutView = Static<typeof CheckoutOut>;
export type CheckoutAnswerView = Static<typeof CheckoutAnswerOut>;

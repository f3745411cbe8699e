import { Type } from 'typebox';

/** The gateway's signed form: parameter names to raw values (the service checks each one). */
export const GatewayForm = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 16_384 }), {
  maxProperties: 32,
});

/** The bank's public key, PEM (text/plain). */
export const PublicKeyPem = Type.String({ description: 'SubjectPublicKeyInfo PEM, text/plain' });

/** The plain HTML page a browser sees when the merchant's request is refused: no order was made. */
export const GatewayErrorPage = Type.String({ description: 'text/html error page' });

/** 303 to the checkout page `/pay/{tradeNo}`: no body. */
export const SeeOther = Type.Null({ description: 'Location: /pay/{tradeNo}' });

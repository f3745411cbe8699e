import { Type } from 'typebox';

/**
 * Characters no name, memo or message typed by a person contains, and that would make one misread
 * elsewhere: C0 and C1 control characters, the bidirectional overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069: they can make a payee name shown on a receipt read backwards), and lone surrogates
 * (not text at all; they break JSON and PDFs downstream). Ajv tests patterns as Unicode regular
 * expressions, where a surrogate range matches only a lone one.
 */
const FORBIDDEN = '\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uD800-\\uDFFF';

/** A schema for text a person typed: a string of the given length without the characters above. */
export function PersonText(options: { minLength?: number; maxLength: number; description?: string }) {
  return Type.String({ ...options, pattern: `^[^${FORBIDDEN}]*$` });
}

import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Compiles request schemas with two minds. A JSON body already carries its types, so nothing is
 * coerced there: `1`, `1.5` or `["1.00"]` where the API wants the string `"1.00"` is refused, never
 * quietly turned into a string (an amount is always a string with two decimals, API.md). Query
 * strings, path parameters and headers are text by nature, so there `limit=20` becomes the number the
 * schema asks for. Otherwise Fastify's own options: defaults applied, no extra properties removed
 * (they are refused by `additionalProperties: false`), the first error only (all errors is a DoS).
 */
export function requestValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const options = {
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    addUsedSchema: false,
  } as const;
  const body = withFormats(new Ajv({ ...options, coerceTypes: false }));
  const text = withFormats(new Ajv({ ...options, coerceTypes: 'array' }));
  return ({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema as object);
}

/** Adds the string formats (date-time, email, …). ajv-formats is CommonJS; its `default` is the plugin. */
function withFormats(ajv: Ajv): Ajv {
  formats.default(ajv);
  return ajv;
}

import fc from 'fast-check';

/**
 * fast-check arbitraries derived from the JSON Schemas of the app's OpenAPI document (the schemas that
 * validate every request): values that fit a schema, and values broken on purpose — wrong types, missing
 * and extra fields, empty and huge strings, Unicode edge cases, numbers at and past their bounds. The
 * schema fuzz test (platform/http/schema-fuzz.test.ts) sends both to every route.
 */

/** The subset of JSON Schema (OpenAPI 3.0 flavour) that TypeBox emits for our routes. */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  maxProperties?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  nullable?: boolean;
  $ref?: string;
};

/** Strings that have broken parsers, validators, databases and PDF writers elsewhere. */
export const EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800', // a lone high surrogate: not valid UTF-16 text
  '\uDFFFx',
  'x\uD83D', // the first half of an emoji, cut off
  '\u202Eevil\u202C', // right-to-left override
  '\u2066isolate\u2069',
  'مرحبا بالعالم', // right-to-left script
  '👨‍👩‍👧‍👦', // a ZWJ emoji sequence
  '🏦💴',
  'e\u0301\u0301\u0301', // stacked combining marks
  '\uFEFFbom',
  '\u200B',
  '１２３４５６', // full-width digits look like digits to a person, not to a regex
  '١٢٣٤٥٦', // Arabic-Indic digits
  '张伟',
  '\r\n\t',
  '\u2028\u2029',
  "' OR 1=1 --",
  '"; DROP TABLE journal_entry; --',
  '<script>alert(1)</script>',
  '$'.concat('{7*7}{{7*7}}'), // template injection
  '../../etc/passwd',
  '%00%ff',
  '\\u0000',
  '-0',
  'NaN',
  'Infinity',
  '1e309',
  '0x1F',
  'null',
  'true',
  '__proto__',
  'constructor',
];

/** Numbers that sit on or beyond the edges of every range. */
export const EDGE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  1e-7,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER + 2,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
];

/** Resolves a `$ref` into the document's components (TypeBox inlines today; a later version may not). */
export function resolve(schema: JsonSchema, doc: { components?: { schemas?: Record<string, JsonSchema> } }) {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  return doc.components?.schemas?.[name] ?? {};
}

function typesOf(schema: JsonSchema): string[] {
  if (schema.type) return [schema.type].flat();
  if (schema.properties) return ['object'];
  if (schema.enum) return [typeof schema.enum[0]];
  return [];
}

/** Characters of plain text: ASCII, Chinese, and now and then an emoji (fast-check's 'grapheme' is slow). */
const TEXT_UNIT = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('😀', '🏦', '👨‍👩‍👧', 'é', 'ß', '€') },
);

function regexOf(pattern: string): RegExp | null {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {}
  }
  return null;
}

/** A string the schema accepts (or, for patterns fast-check cannot invert, a plausible one). */
function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 40, Math.max(min, 40));
  const fits = (s: string) => s.length >= min && s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'uuid') return fc.uuid({ version: 4 });
  const regex = schema.pattern ? regexOf(schema.pattern) : null;
  if (regex) {
    try {
      // No filter (a length bound the pattern rarely meets would make fast-check retry for ever): a
      // match that is too short is repeated, one too long cut, and what still does not fit is sent as is.
      const fit = (s: string) => {
        if (s.length === 0 || s.length >= min) return s.slice(0, schema.maxLength ?? s.length);
        return s.repeat(Math.ceil(min / s.length)).slice(0, schema.maxLength ?? min);
      };
      return fc.stringMatching(regex).map((s) => {
        const fitted = fit(s);
        return fits(fitted) && regex.test(fitted) ? fitted : s;
      });
    } catch {
      // a pattern fast-check cannot generate from: fall through to plain text
    }
  }
  return fc.string({ minLength: min, maxLength: max, unit: TEXT_UNIT });
}

/** A value that fits the schema. */
export function validValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validValue(s, depth)));
  if (schema.allOf?.length) return validValue(Object.assign({}, ...schema.allOf), depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.length === 0) return depth > 2 ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
  const one = types.map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'string':
        return validString(schema);
      case 'integer':
        return fc.integer({
          min: Math.max(schema.minimum ?? -1_000_000, Number.MIN_SAFE_INTEGER),
          max: Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER),
        });
      case 'number':
        return fc.double({
          min: schema.minimum ?? -1e6,
          max: schema.maximum ?? 1e6,
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(schema.items ? validValue(schema.items, depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 3, Math.max(schema.minItems ?? 0, 3)),
        });
      default:
        return validObject(schema, depth);
    }
  });
  const base = one.length === 1 ? one[0]! : fc.oneof(...one);
  return schema.nullable ? fc.option(base, { nil: null, freq: 8 }) : base;
}

function validObject(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) model[name] = validValue(property, depth + 1);
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
}

/** A value of the wrong JSON type for the schema. */
function wrongType(schema: JsonSchema): fc.Arbitrary<unknown> {
  const types = new Set(typesOf(schema));
  const all: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', fc.constantFrom('x', '1', '', '1.00', 'true')],
    ['integer', fc.constantFrom(...EDGE_NUMBERS)],
    ['number', fc.constantFrom(1.5, -3, 0)],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.constantFrom([], [1], [[[]]], ['x', null])],
    ['object', fc.constantFrom({}, { a: 1 }, { amount: '1.00' }, { __proto__: null })],
  ];
  const wrong = all.filter(([type]) => !types.has(type) && !(type === 'number' && types.has('integer')));
  return fc.oneof(...wrong.map(([, arb]) => arb));
}

/** A string the schema's bounds or pattern should refuse, or one at the very edge of what it allows. */
function brokenString(schema: JsonSchema): fc.Arbitrary<unknown> {
  const max = schema.maxLength ?? 200;
  const min = schema.minLength ?? 0;
  const lengths = [0, Math.max(0, min - 1), max, max + 1, 10_000].filter((n, i, a) => a.indexOf(n) === i);
  return fc.oneof(
    fc.constantFrom(...EDGE_STRINGS),
    fc.constantFrom(...lengths).chain((n) => fc.constantFrom('9'.repeat(n), '字'.repeat(n), 'a'.repeat(n))),
    fc.tuple(validString(schema), fc.constantFrom(...EDGE_STRINGS)).map(([s, edge]) => s + edge),
    fc.tuple(validString(schema), fc.constantFrom(...EDGE_STRINGS)).map(([s, edge]) => edge + s),
    fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 30 }).map((codes) => String.fromCharCode(...codes)),
  );
}

function brokenNumber(schema: JsonSchema): fc.Arbitrary<unknown> {
  const edges: number[] = [...EDGE_NUMBERS];
  for (const bound of [schema.minimum, schema.maximum, schema.exclusiveMinimum, schema.exclusiveMaximum]) {
    if (bound !== undefined) edges.push(bound, bound - 1, bound + 1, bound + 0.5);
  }
  return fc.oneof(fc.constantFrom(...edges), fc.constantFrom(...edges).map(String));
}

function brokenObject(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const valid = validValue(schema, depth) as fc.Arbitrary<Record<string, unknown>>;
  const options: fc.Arbitrary<unknown>[] = [
    // an extra field, including the ones that pollute prototypes in careless code
    fc
      .tuple(
        valid,
        fc.constantFrom('extra', '__proto__', 'constructor', 'prototype', ''),
        fc.jsonValue({ maxDepth: 1 }),
      )
      // a computed key makes an own property even for __proto__, so JSON.stringify sends it
      .map(([o, k, v]) => ({ ...o, [k]: v })),
  ];
  const required = schema.required ?? [];
  if (required.length > 0) {
    options.push(
      fc.tuple(valid, fc.constantFrom(...required)).map(([o, k]) => {
        const copy = { ...o };
        delete copy[k];
        return copy;
      }),
    );
  }
  if (properties.length > 0 && depth < 3) {
    // one field broken, the rest valid: what gets past the outer checks into the inner ones
    options.push(
      fc
        .constantFrom(...properties)
        .chain(([name, property]) =>
          fc.tuple(valid, fc.constant(name), brokenValue(property, depth + 1)).map(([o, k, v]) => ({ ...o, [k]: v })),
        ),
    );
  }
  return fc.oneof(...options);
}

/** A value the schema should refuse, or that sits at its very edge. */
export function brokenValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => brokenValue(s, depth)));
  if (schema.allOf?.length) return brokenValue(Object.assign({}, ...schema.allOf), depth);
  const options: fc.Arbitrary<unknown>[] = [wrongType(schema)];
  if (schema.enum?.length || schema.const !== undefined) {
    const known = (schema.enum ?? [schema.const]).map(String);
    options.push(
      fc.constantFrom(...known).chain((v) => fc.constantFrom(v.toUpperCase(), ` ${v}`, `${v}\u0000`, `${v}x`)),
    );
  }
  const types = typesOf(schema);
  if (types.includes('string')) options.push(brokenString(schema));
  if (types.includes('integer') || types.includes('number')) options.push(brokenNumber(schema));
  if (types.includes('object')) options.push(brokenObject(schema, depth));
  if (types.includes('array')) {
    const item = schema.items ?? {};
    options.push(
      fc.array(brokenValue(item, depth + 1), { minLength: 1, maxLength: 3 }),
      fc.constant(Array.from({ length: (schema.maxItems ?? 50) + 1 }, () => null)),
    );
  }
  return fc.oneof(...options);
}

/** Request bodies that are not JSON, or JSON that parsers have choked on. */
export const MALFORMED_JSON: readonly (string | Buffer)[] = [
  '',
  '{',
  '{"a":',
  '[1,]',
  '{"a":1,}',
  "{'a':1}",
  'nul',
  'NaN',
  '\u0000',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":1,"a":2}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `${'['.repeat(4000)}${']'.repeat(4000)}`,
  `{"a":${'1'.repeat(400)}}`,
  '{"a":1e999999}',
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]), // {"a":"<invalid UTF-8>"}
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // a UTF-8 BOM before {}
  Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), // UTF-16LE
];

/** Content types a client may send by mistake, or on purpose. */
export const WRONG_CONTENT_TYPES: readonly (string | null)[] = [
  null,
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/jsonx',
  'application/problem+json',
  'APPLICATION/JSON',
  '*/*',
  ';;;',
];

/** Encodes a path or query value the way a client would, even when the value is not well-formed UTF-16. */
export function encodeComponent(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  try {
    return encodeURIComponent(text);
  } catch {
    // a lone surrogate: send the bytes a careless client would (CESU-8 style), which are not UTF-8
    return [...text]
      .map((c) => {
        try {
          return encodeURIComponent(c);
        } catch {
          const code = c.charCodeAt(0);
          return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
        }
      })
      .join('');
  }
}

/** Raw path segments that are not what any route expects: traversal, bad percent-encoding, NUL. */
export const RAW_PATH_SEGMENTS: readonly string[] = [
  '%00',
  '%ZZ',
  '%',
  '%E4%B8',
  '%ED%A0%80',
  '..%2F..%2Fetc%2Fpasswd',
  '..',
  '.',
  '%2e%2e',
  'a%2Fb',
  '%20',
  `${'x'.repeat(300)}`,
  '00000000-0000-4000-8000-000000000000',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '-1',
  '1e9',
  '%F0%9F%92%A5',
];

/** Raw query strings, appended to a route as they are, beside the generated ones. */
export const RAW_QUERIES: readonly string[] = [
  '?',
  '?&&&',
  '?=',
  '?limit',
  '?limit=1&limit=2',
  '?limit[]=1',
  '?limit[a]=1',
  '?cursor=%ZZ',
  '?cursor=%00',
  '?from=2026-02-30&to=2026-13-01',
  '?from=9999-12-31&to=0000-01-01',
  '?limit=1e3',
  '?limit=0x10',
  '?limit=%20%201',
  `?q=${'1'.repeat(5000)}`,
  '?__proto__[x]=1',
  '?format=pdf&format=csv',
];

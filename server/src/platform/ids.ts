import { randomUUID } from 'node:crypto';

/**
 * Identifiers are random UUIDv4s, never sequences: they leak no volume, cannot be guessed, and do not
 * hot-spot one range of a distributed database. Each kind is branded so one cannot be passed for another.
 */
export type Id<Kind extends string> = string & { readonly __id: Kind };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A new random id of the given kind. */
export function newId<Kind extends string>(): Id<Kind> {
  return randomUUID() as Id<Kind>;
}

/** Parses an id from untrusted input; null when it is not a UUIDv4 in lower case. */
export function parseId<Kind extends string>(text: string): Id<Kind> | null {
  return UUID.test(text) ? (text as Id<Kind>) : null;
}

/** JSON schema pattern for ids in route parameters. */
export const ID_PATTERN = UUID.source;

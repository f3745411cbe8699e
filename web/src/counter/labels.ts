import type { i18n as I18n, TFunction } from 'i18next';

/**
 * The words for a counter operation's kind (`cash.deposit`, `account.freeze`); a kind this console does
 * not know yet shows as the server names it rather than not at all.
 */
export function operationLabel(t: TFunction<'counter'>, i18n: I18n, kind: string): string {
  const key = `counter:operationNames.${kind}`;
  return i18n.exists(key) && typeof t(`operationNames.${kind}`) === 'string' ? t(`operationNames.${kind}`) : kind;
}

/** The words for an audit event's kind: a counter operation's own name, else the event's. */
export function eventLabel(t: TFunction<'counter'>, i18n: I18n, kind: string): string {
  const rest = kind.startsWith('counter.') ? kind.slice('counter.'.length) : kind;
  if (i18n.exists(`counter:operationNames.${rest}`)) return operationLabel(t, i18n, rest);
  return i18n.exists(`counter:eventNames.${rest}`) ? t(`eventNames.${rest}`) : kind;
}

import { type CounterMedium, type CustomerDetail, counterApi } from '../counterApi';
import { checks } from './checks';
import { customerRows } from './customerSpecs';
import type { OperationSpec, SpecContext } from './types';

type CustomerContext = SpecContext & { customer: CustomerDetail };

/** The media the counter hands over (API.md: password card, e-password device, U-shield). */
const ISSUED_KINDS = ['password_card', 'e_token', 'u_shield'] as const;

function revocable(medium: CounterMedium): boolean {
  return (ISSUED_KINDS as readonly string[]).includes(medium.kind) && !['revoked', 'expired'].includes(medium.status);
}

/** Issue a medium (a serial for devices), revoke one (lost, damaged, returned) or unlock a locked one. */
export function mediaSpec(ctx: CustomerContext): OperationSpec {
  const { customer, t, preset } = ctx;
  const check = checks(t);
  const held = customer.media.items.filter(revocable);
  const locked = held.filter((medium) => medium.status === 'locked');
  const mediumLabel = (medium: { kind: string; serial?: string }) =>
    [t(`mediaKinds.${medium.kind}`, { defaultValue: medium.kind }), medium.serial].filter(Boolean).join(' · ');
  return {
    fields: [
      {
        name: 'action',
        label: t('fields.action'),
        kind: 'select',
        options: [
          { value: 'issue', label: t('fields.issue') },
          { value: 'revoke', label: t('fields.revoke') },
          { value: 'reissue', label: t('fields.reissue') },
          ...(locked.length > 0 ? [{ value: 'unlock', label: t('fields.unlockMedium') }] : []),
        ],
      },
      {
        name: 'kind',
        label: t('fields.kind'),
        kind: 'select',
        options: ISSUED_KINDS.map((kind) => ({ value: kind, label: t(`mediaKinds.${kind}`) })),
        shown: (v) => v.action === 'issue',
      },
      {
        name: 'serial',
        label: t('fields.serial'),
        hint: t('fields.serialHint'),
        check: check.serial,
        maxLength: 32,
        shown: (v) =>
          (v.action === 'issue' && v.kind !== 'password_card') ||
          (v.action === 'reissue' && held.find((m) => m.id === v.mediumId)?.kind === 'e_token'),
      },
      {
        name: 'mediumId',
        label: t('fields.medium'),
        kind: 'select',
        options: held.map((medium) => ({ value: medium.id, label: mediumLabel(medium) })),
        check: check.required,
        shown: (v) => v.action === 'revoke' || v.action === 'unlock' || v.action === 'reissue',
      },
      {
        name: 'reason',
        label: t('fields.revokeReason'),
        kind: 'select',
        options: (['lost', 'damaged', 'returned'] as const).map((reason) => ({
          value: reason,
          label: t(`fields.${reason}`),
        })),
        shown: (v) => v.action === 'revoke' || v.action === 'reissue',
      },
    ],
    initial: {
      action: preset.action ?? 'issue',
      kind: 'password_card',
      serial: '',
      mediumId: preset.mediumId ?? held[0]?.id ?? '',
      reason: 'lost',
    },
    summary: (v) => {
      if (v.action === 'unlock') {
        const medium = locked.find((m) => m.id === v.mediumId);
        return [
          ...customerRows(ctx),
          { label: t('fields.action'), value: t('fields.unlockMedium'), large: true },
          { label: t('fields.medium'), value: medium ? mediumLabel(medium) : v.mediumId },
        ];
      }
      if (v.action === 'revoke' || v.action === 'reissue') {
        const medium = held.find((m) => m.id === v.mediumId);
        return [
          ...customerRows(ctx),
          { label: t('fields.action'), value: t(`fields.${v.action}`), large: true },
          { label: t('fields.medium'), value: medium ? mediumLabel(medium) : v.mediumId },
          { label: t('fields.revokeReason'), value: t(`fields.${v.reason ?? 'lost'}`) },
        ];
      }
      const rows = [
        ...customerRows(ctx),
        { label: t('fields.action'), value: t('fields.issue'), large: true },
        { label: t('fields.kind'), value: t(`mediaKinds.${v.kind ?? 'password_card'}`) },
      ];
      if (v.kind !== 'password_card') rows.push({ label: t('fields.serial'), value: v.serial?.trim().toUpperCase() });
      return rows;
    },
    title: (v) =>
      v.action === 'revoke' || v.action === 'reissue'
        ? t(`fields.${v.action}`)
        : v.action === 'unlock'
          ? t('fields.unlockMedium')
          : t('fields.issue'),
    submit: (v) =>
      v.action === 'reissue'
        ? counterApi(`/api/v1/counter/media/${encodeURIComponent(v.mediumId ?? '')}/reissue`, {
            method: 'POST',
            body: {
              reason: v.reason,
              ...(v.serial?.trim() ? { serial: v.serial.trim().toUpperCase() } : {}),
            },
          })
        : v.action === 'unlock'
          ? counterApi(`/api/v1/counter/media/${encodeURIComponent(v.mediumId ?? '')}/unlock`, {
              method: 'POST',
              body: {},
            })
          : v.action === 'revoke'
            ? counterApi(`/api/v1/counter/media/${encodeURIComponent(v.mediumId ?? '')}/revoke`, {
                method: 'POST',
                body: { reason: v.reason },
              })
            : counterApi(`/api/v1/counter/customers/${encodeURIComponent(customer.id)}/media`, {
                method: 'POST',
                body:
                  v.kind === 'password_card'
                    ? { kind: v.kind }
                    : { kind: v.kind, serial: v.serial?.trim().toUpperCase() },
              }),
    outcome: (answer, v) => {
      const medium = answer as Partial<CounterMedium>;
      if ((v.action !== 'issue' && v.action !== 'reissue') || !medium.id) return {};
      const kind = medium.kind ?? v.kind ?? '';
      return {
        rows: [
          {
            label: t('result.medium'),
            value: mediumLabel({ kind, serial: medium.serial }),
          },
        ],
        cardMediumId: kind === 'password_card' ? medium.id : undefined,
      };
    },
  };
}

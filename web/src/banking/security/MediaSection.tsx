import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import { Alert } from '../../ui/Alert';
import { CardIcon, KeyIcon, LockIcon, MessageIcon, PhoneIcon, ShieldIcon } from '../../ui/icons';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { Spinner } from '../../ui/Spinner';
import { formatDateTime } from '../format';
import { getMedia, type Medium, runningLow } from './mediaApi';
import './media.css';

const ICONS = {
  sms: MessageIcon,
  password_card: CardIcon,
  e_token: KeyIcon,
  totp: PhoneIcon,
  u_shield: ShieldIcon,
  passkey: PhoneIcon,
  payment_password: LockIcon,
} as const;

/**
 * The tier in plain words and every medium the customer holds (API.md, "Security centre"): its name,
 * status, serial and, for a password card, the uses left, with a warning when it is running out.
 */
export function MediaSection() {
  const { t } = useTranslation('banking');
  const media = useQuery({ queryKey: queryKeys.security.media, queryFn: getMedia });
  const items = media.data?.items.filter(shown) ?? [];
  return (
    <section className="panel" aria-labelledby="media-title" data-testid="media-section">
      <h2 id="media-title" className="section-title">
        {t('security.media.title')}
      </h2>
      <p className="section-lead">{t('security.media.lead')}</p>
      {media.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
      {media.isError && <ProblemAlert error={media.error} testId="media-error" />}
      {media.data && (
        <>
          <div className="tier" data-testid="media-tier" data-tier={media.data.tier}>
            <p className="tier__name">
              <span className="tier__label">{t('security.media.tier')}</span>
              <strong>{t(`security.media.tiers.${media.data.tier}`)}</strong>
            </p>
            <p className="tier__hint">{t(`security.media.tierHints.${media.data.tier}`)}</p>
          </div>
          {items.length === 0 ? (
            <p>{t('security.media.empty')}</p>
          ) : (
            <ul className="media-list" aria-label={t('security.media.list')}>
              {items.map((medium) => (
                <MediumRow key={medium.id} medium={medium} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/**
 * A soft token whose enrolment was never finished is no medium (it signs nothing, and its QR code was
 * shown only once): it is left out. A U-shield that is `issued` is one the counter handed over, and shown.
 */
function shown(medium: Medium): boolean {
  return !(medium.kind === 'totp' && medium.status === 'issued');
}

function MediumRow({ medium }: { medium: Medium }) {
  const { t } = useTranslation('banking');
  const Icon = ICONS[medium.kind];
  const low = runningLow(medium);
  return (
    <li
      className="media-list__item"
      data-testid={`medium-${medium.kind}`}
      data-status={medium.status}
      aria-labelledby={`medium-${medium.id}-name`}
    >
      <Icon className="media-list__icon" size={24} />
      <div className="media-list__body">
        <p className="media-list__head">
          <span id={`medium-${medium.id}-name`} className="media-list__name">
            {t(`security.media.kinds.${medium.kind}`)}
          </span>
          <span className={`badge media-badge media-badge--${medium.status}`} data-testid="medium-status">
            <span className="visually-hidden">{t('security.media.status')}: </span>
            {t(`security.media.statuses.${medium.status}`)}
          </span>
        </p>
        <p className="media-list__hint">{t(`security.media.kindHints.${medium.kind}`)}</p>
        {(medium.serial !== undefined || medium.usesLeft !== undefined) && (
          <dl className="media-list__facts">
            {medium.serial && (
              <div>
                <dt>{t('security.media.serial')}</dt>
                <dd className="tabular" data-testid="medium-serial">
                  {medium.serial}
                </dd>
              </div>
            )}
            {medium.usesLeft !== undefined && (
              <div>
                <dt>{t('security.media.usesLeftLabel')}</dt>
                <dd className="tabular" data-testid="medium-uses-left" data-uses-left={medium.usesLeft}>
                  {t('security.media.usesLeft', { count: medium.usesLeft })}
                </dd>
              </div>
            )}
          </dl>
        )}
        <p className="media-list__meta tabular">
          {t('security.media.added', { at: formatDateTime(medium.createdAt) })}
        </p>
        {low && (
          <Alert tone="warning" testId="medium-low-uses" className="media-list__alert">
            {t('security.media.lowUses', { count: medium.usesLeft })}
          </Alert>
        )}
        {medium.status === 'locked' && (
          <Alert tone="warning" testId="medium-locked" className="media-list__alert">
            {t('security.media.lockedHint')}
          </Alert>
        )}
      </div>
    </li>
  );
}

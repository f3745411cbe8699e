import { useTranslation } from 'react-i18next';
import { BrandMark } from '../ui/BrandMark';
import { Button } from '../ui/Button';
import { RefreshIcon, ScanIcon, SuccessIcon, WarningIcon } from '../ui/icons';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import './messages';
import { useQrLogin } from './useQrLogin';

type Props = { onApproved: () => void };

/**
 * The "扫码登录" tab (ARCHITECTURE.md, "QR login"): the code for the mobile app to scan, the two-digit
 * number to pick on the phone beside it, a countdown to the next code, and the state as the phone moves
 * it (scanned: confirm on the phone; approved: into the bank; denied or expired: a fresh code).
 */
export function QrLogin({ onApproved }: Props) {
  const { t } = useTranslation();
  const { t: tl } = useTranslation('login');
  const { qr, image, state, secondsLeft, error, loading, renew } = useQrLogin(onApproved);
  const finished = state === 'expired' || state === 'denied';

  return (
    <div className="qr">
      <p className="qr__title">{t('qr.title')}</p>
      <div className="qr__body">
        <div className="qr__frame" data-state={state}>
          {qr && image ? (
            <>
              <img
                className="qr__image"
                src={image}
                width={176}
                height={176}
                alt={t('qr.imageAlt')}
                data-testid="qr-image"
                data-payload={qr.payload}
              />
              <span className="qr__mark">
                <BrandMark size={26} />
              </span>
            </>
          ) : error ? (
            <span className="qr__placeholder">
              <WarningIcon size={28} />
            </span>
          ) : (
            <span className="qr__placeholder">
              <Spinner size={24} label={t('qr.loading')} />
            </span>
          )}
          {qr && (finished || state === 'scanned' || state === 'approved') && (
            <div className="qr__veil">
              {state === 'scanned' || state === 'approved' ? <SuccessIcon size={36} /> : <WarningIcon size={32} />}
            </div>
          )}
        </div>
        {qr && !finished && (
          <div className="qr__match">
            <span className="qr__match-label">{tl('qr.numberLabel')}</span>
            <span className="qr__match-number tabular" data-testid="qr-match-number">
              {String(qr.matchNumber).padStart(2, '0')}
            </span>
            <span className="qr__match-hint">{tl('qr.numberHint')}</span>
          </div>
        )}
      </div>
      <p className="qr__status" role="status" data-testid="qr-status" data-state={qr ? state : 'loading'}>
        {qr ? t(`qr.${state}`) : loading ? t('qr.loading') : ''}
      </p>
      {qr && state === 'pending' && (
        <p className="qr__countdown tabular" data-testid="qr-countdown">
          {tl('qr.countdown', { seconds: secondsLeft })}
        </p>
      )}
      {error ? <ProblemAlert error={error} testId="qr-error" /> : null}
      {(finished || error !== null) && (
        <Button
          variant="ghost"
          icon={<RefreshIcon size={16} />}
          onClick={renew}
          busy={loading}
          data-testid="qr-refresh"
        >
          {t('qr.refresh')}
        </Button>
      )}
      <ol className="qr__steps">
        <li>
          <span className="qr__step-no">1</span>
          {t('qr.step1')}
        </li>
        <li>
          <span className="qr__step-no">2</span>
          <ScanIcon size={16} className="qr__step-icon" />
          {t('qr.step2')}
        </li>
        <li>
          <span className="qr__step-no">3</span>
          {tl('qr.step3')}
        </li>
      </ol>
    </div>
  );
}

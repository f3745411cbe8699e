import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../api/queryKeys';
import { BrandMark } from '../ui/BrandMark';
import { Button } from '../ui/Button';
import { RefreshIcon, ScanIcon, SuccessIcon, WarningIcon } from '../ui/icons';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { createQrLogin, pollQrLogin, type QrState, qrImage } from './qrApi';

type Props = { onApproved: () => void };

const POLL_MS = 2000;

/**
 * The "扫码登录" tab: shows a QR login request for the mobile app to scan, and polls until the phone
 * approves or denies it or it expires (ARCHITECTURE.md, "QR login").
 */
export function QrLogin({ onApproved }: Props) {
  const { t } = useTranslation();
  const request = useMutation({ mutationFn: createQrLogin });
  const { mutate } = request;
  const started = useRef(false);
  useEffect(() => {
    // One request per visit to the tab, even when React runs effects twice in development.
    if (started.current) return;
    started.current = true;
    mutate();
  }, [mutate]);

  const qr = request.data;
  const image = useQuery({
    queryKey: queryKeys.qrImage(qr?.payload),
    queryFn: () => qrImage(qr!.payload),
    enabled: qr !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const status = useQuery({
    queryKey: queryKeys.qrState(qr?.qrId),
    queryFn: () => pollQrLogin(qr!.qrId),
    enabled: qr !== undefined,
    refetchInterval: (query) => {
      const state = query.state.data?.state;
      return state === 'pending' || state === 'scanned' || state === undefined ? POLL_MS : false;
    },
    retry: 2,
  });
  const state: QrState = status.data?.state ?? 'pending';

  useEffect(() => {
    if (state === 'approved') onApproved();
  }, [state, onApproved]);

  const finished = state === 'expired' || state === 'denied';
  const failure = request.error ?? image.error ?? status.error;

  return (
    <div className="qr">
      <p className="qr__title">{t('qr.title')}</p>
      <div className="qr__frame" data-state={state}>
        {qr && image.data ? (
          <>
            <img
              className="qr__image"
              src={image.data}
              width={176}
              height={176}
              alt={t('qr.imageAlt')}
              data-testid="qr-image"
            />
            <span className="qr__mark">
              <BrandMark size={34} />
            </span>
          </>
        ) : failure ? (
          <span className="qr__placeholder">
            <WarningIcon size={28} />
          </span>
        ) : (
          <span className="qr__placeholder">
            <Spinner size={24} label={t('qr.loading')} />
          </span>
        )}
        {(finished || state === 'scanned' || state === 'approved') && (
          <div className="qr__veil">
            {state === 'scanned' || state === 'approved' ? <SuccessIcon size={36} /> : <WarningIcon size={32} />}
          </div>
        )}
      </div>
      <p className="qr__status" role="status" data-testid="qr-status" data-state={state}>
        {qr ? t(`qr.${state}`) : request.isPending ? t('qr.loading') : ''}
      </p>
      {failure ? <ProblemAlert error={failure} testId="qr-error" /> : null}
      {(finished || failure) && (
        <Button variant="ghost" icon={<RefreshIcon size={16} />} onClick={() => mutate()} busy={request.isPending}>
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
          {t('qr.step3')}
        </li>
      </ol>
    </div>
  );
}

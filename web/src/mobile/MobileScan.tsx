import './scanMessages';
import './scan.css';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/ApiError';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ScanIcon, SuccessIcon, WarningIcon } from '../ui/icons';
import { PasswordField } from '../ui/PasswordField';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { decodeQr, decodeQrFile, qrIdOf } from './qrDecode';
import { approveQrLogin, denyQrLogin, type QrScanAnswer, scanQrLogin } from './scanApi';
import { placeName } from '../ui/place';

type Step =
  | { kind: 'scan'; error?: unknown; notice?: 'notFound' | 'notJinku' | 'cameraDenied' }
  | { kind: 'reading' }
  | { kind: 'confirm'; qrId: string; answer: QrScanAnswer }
  | { kind: 'done'; result: 'approved' | 'denied'; error?: unknown };

/** How often a camera frame is looked at for a code. */
const FRAME_EVERY_MS = 300;

/** Times on the phone are the bank's, Beijing time, whatever the phone's own zone. */
const beijing = (iso: string, language: string) =>
  new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(new Date(iso));

/**
 * The Scan tab (扫一扫): reads a web banking QR login code with the camera or from a picked picture,
 * shows which browser asked and from where, asks the customer to pick the number the computer shows from
 * three (so a code relayed from a phishing page is not approved blindly), then Approve or Deny.
 */
export function MobileScan() {
  const { t } = useTranslation('scan');
  useDocumentTitle(t('title'));
  const [step, setStep] = useState<Step>({ kind: 'scan' });

  const onText = useCallback(async (text: string | null) => {
    if (text === null) return setStep({ kind: 'scan', notice: 'notFound' });
    const qrId = qrIdOf(text);
    if (!qrId) return setStep({ kind: 'scan', notice: 'notJinku' });
    setStep({ kind: 'reading' });
    try {
      setStep({ kind: 'confirm', qrId, answer: await scanQrLogin(qrId) });
    } catch (error) {
      setStep({ kind: 'scan', error });
    }
  }, []);

  return (
    <div className="m-scan">
      {step.kind === 'scan' && (
        <ScanStep
          step={step}
          onText={onText}
          onCameraDenied={() => setStep({ kind: 'scan', notice: 'cameraDenied' })}
        />
      )}
      {step.kind === 'reading' && (
        <div className="m-scan__reading">
          <Spinner size={28} label={t('reading')} />
          <p>{t('reading')}</p>
        </div>
      )}
      {step.kind === 'confirm' && (
        <ConfirmStep
          qrId={step.qrId}
          answer={step.answer}
          onDone={(result, error) => setStep({ kind: 'done', result, error })}
        />
      )}
      {step.kind === 'done' && (
        <div className="m-scan__done" data-testid="scan-result" data-result={step.result}>
          <span className={`m-scan__done-icon m-scan__done-icon--${step.result}`}>
            {step.result === 'approved' ? <SuccessIcon size={44} /> : <WarningIcon size={40} />}
          </span>
          <p className="m-scan__done-text">{t(step.result)}</p>
          {step.error ? <ProblemAlert error={step.error} /> : null}
          <Button variant="secondary" size="lg" block onClick={() => setStep({ kind: 'scan' })}>
            {t('again')}
          </Button>
        </div>
      )}
    </div>
  );
}

function ScanStep({
  step,
  onText,
  onCameraDenied,
}: {
  step: Extract<Step, { kind: 'scan' }>;
  onText: (text: string | null) => void;
  onCameraDenied: () => void;
}) {
  const { t } = useTranslation('scan');
  const [cameraOn, setCameraOn] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  async function onFile(file: File | undefined) {
    if (!file) return;
    try {
      onText(await decodeQrFile(file));
    } catch {
      onText(null);
    }
  }

  return (
    <div className="m-scan__start">
      <h1 className="m-scan__title">{t('title')}</h1>
      <p className="m-scan__lead">{t('lead')}</p>
      {cameraOn ? (
        <Camera
          onText={(text) => {
            setCameraOn(false);
            onText(text);
          }}
          onDenied={() => {
            setCameraOn(false);
            onCameraDenied();
          }}
        />
      ) : (
        <div className="m-scan__frame" aria-hidden="true">
          <ScanIcon size={56} />
        </div>
      )}
      {step.notice && (
        <Alert tone="warning" testId="scan-notice">
          {t(step.notice)}
        </Alert>
      )}
      {step.error ? <ProblemAlert error={step.error} testId="scan-error" /> : null}
      <div className="m-scan__actions">
        {cameraOn ? (
          <Button variant="secondary" size="lg" block onClick={() => setCameraOn(false)}>
            {t('stopCamera')}
          </Button>
        ) : (
          <Button
            size="lg"
            block
            icon={<ScanIcon size={20} />}
            onClick={() => setCameraOn(true)}
            data-testid="scan-camera"
          >
            {t('startCamera')}
          </Button>
        )}
        <Button variant="secondary" size="lg" block onClick={() => fileInput.current?.click()}>
          {t('pickImage')}
        </Button>
        <input
          ref={fileInput}
          className="m-scan__file"
          type="file"
          accept="image/*"
          aria-label={t('pickImage')}
          data-testid="scan-file"
          onChange={(event) => {
            void onFile(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
      </div>
    </div>
  );
}

/** The rear camera's picture, looked at a few times a second until a code is found. */
function Camera({ onText, onDenied }: { onText: (text: string) => void; onDenied: () => void }) {
  const { t } = useTranslation('scan');
  const video = useRef<HTMLVideoElement>(null);
  // The callbacks change with every render of the parent; the camera must not restart for that.
  const found = useRef(onText);
  const denied = useRef(onDenied);
  found.current = onText;
  denied.current = onDenied;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    async function look() {
      const element = video.current;
      if (stopped || !element) return;
      const text = element.readyState >= 2 ? await decodeQr(element).catch(() => null) : null;
      if (stopped) return;
      if (text) found.current(text);
      else timer = setTimeout(look, FRAME_EVERY_MS);
    }
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped || !video.current) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        video.current.srcObject = stream;
        await video.current.play();
        void look();
      } catch {
        if (!stopped) denied.current();
      }
    })();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  return <video ref={video} className="m-scan__video" muted playsInline aria-label={t('viewfinder')} />;
}

function ConfirmStep({
  qrId,
  answer,
  onDone,
}: {
  qrId: string;
  answer: QrScanAnswer;
  onDone: (result: 'approved' | 'denied', error?: unknown) => void;
}) {
  const { t, i18n } = useTranslation('scan');
  const [picked, setPicked] = useState<number | null>(null);
  const [needPassword, setNeedPassword] = useState(answer.passwordRequired);
  const [password, setPassword] = useState('');
  const [hint, setHint] = useState<'pickFirst' | 'passwordMissing' | null>(null);
  const [busy, setBusy] = useState<'approve' | 'deny' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { requester } = answer;

  async function approve(event: FormEvent) {
    event.preventDefault();
    if (picked === null) return setHint('pickFirst');
    if (needPassword && !password) return setHint('passwordMissing');
    setHint(null);
    setError(null);
    setBusy('approve');
    try {
      await approveQrLogin(qrId, picked, needPassword ? password : undefined);
      onDone('approved');
    } catch (failure) {
      setBusy(null);
      if (failure instanceof ApiError && failure.code === 'auth.qr_wrong_number') return onDone('denied', failure);
      if (failure instanceof ApiError && failure.code === 'auth.qr_password_required') setNeedPassword(true);
      setError(failure);
    }
  }

  async function deny() {
    setBusy('deny');
    try {
      await denyQrLogin(qrId);
      onDone('denied');
    } catch (failure) {
      setBusy(null);
      setError(failure);
    }
  }

  return (
    <form className="m-scan__confirm" onSubmit={approve} noValidate>
      <h1 className="m-scan__title">{t('confirmTitle')}</h1>
      <p className="m-scan__lead">{t('confirmLead')}</p>
      <dl className="m-scan__requester" data-testid="scan-requester">
        <div>
          <dt>{t('browser')}</dt>
          <dd>{requester.browser}</dd>
        </div>
        <div>
          <dt>{t('os')}</dt>
          <dd>{requester.os}</dd>
        </div>
        <div>
          <dt>{t('ip')}</dt>
          <dd className="tabular">{requester.ip}</dd>
        </div>
        {requester.location && (
          <div>
            <dt>{t('location')}</dt>
            <dd data-testid="scan-location">
              {requester.place ? placeName(requester.place, i18n.language) : requester.location}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('time')}</dt>
          <dd className="tabular">{beijing(requester.at, i18n.language)}</dd>
        </div>
      </dl>
      <fieldset className="m-scan__pick">
        <legend>{t('pickTitle')}</legend>
        <div className="m-scan__choices">
          {answer.choices.map((choice) => (
            <button
              key={choice}
              type="button"
              className={picked === choice ? 'm-scan__choice m-scan__choice--picked' : 'm-scan__choice'}
              aria-pressed={picked === choice}
              onClick={() => {
                setPicked(choice);
                setHint(null);
              }}
              data-testid={`scan-choice-${choice}`}
            >
              {String(choice).padStart(2, '0')}
            </button>
          ))}
        </div>
        <p className="m-scan__hint">{t('pickHint')}</p>
      </fieldset>
      {needPassword && (
        <PasswordField
          label={t('passwordLabel')}
          hint={t('passwordHint')}
          size="lg"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          testId="scan-password"
        />
      )}
      {hint && (
        <Alert tone="warning" testId="scan-hint">
          {t(hint)}
        </Alert>
      )}
      {error ? <ProblemAlert error={error} testId="scan-error" /> : null}
      <Alert tone="info" live={false}>
        {t('warning')}
      </Alert>
      <div className="m-scan__actions">
        <Button
          type="submit"
          size="lg"
          block
          busy={busy === 'approve'}
          disabled={busy !== null}
          data-testid="scan-approve"
        >
          {t('approve')}
        </Button>
        <Button
          variant="secondary"
          size="lg"
          block
          busy={busy === 'deny'}
          disabled={busy !== null}
          onClick={() => void deny()}
          data-testid="scan-deny"
        >
          {t('deny')}
        </Button>
      </div>
    </form>
  );
}

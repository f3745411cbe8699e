import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ETokenAnswer } from '../api/contract';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ProblemAlert } from '../ui/ProblemAlert';
import { TextField } from '../ui/TextField';
import './dev.css';
import './messages';

/** The demo bank's e-password device (DEMO_E_TOKEN_SERIAL in the server's demo seed). */
const DEMO_SERIAL = 'ET20260001';
const SERIAL = /^[A-Z0-9]{1,32}$/;
const CHALLENGE = /^\d{8}$/;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Asks the dev route what the device with this serial shows for the challenge now (outside production only). */
function fetchAnswer(serial: string, challenge: string): Promise<ETokenAnswer> {
  return api<ETokenAnswer>(
    `/api/v1/dev/e-token/${encodeURIComponent(serial)}/answer?challenge=${encodeURIComponent(challenge)}`,
  );
}

/**
 * The e-password device simulator (/dev/e-token): a small keypad device that shows the 6-digit answer for
 * an 8-digit challenge, for demos and end-to-end tests. The server answers only outside production.
 */
export function ETokenPage() {
  const { t } = useTranslation('dev', { keyPrefix: 'eToken' });
  const [serial, setSerial] = useState(DEMO_SERIAL);
  const [challenge, setChallenge] = useState('');
  const [touched, setTouched] = useState(false);
  const compute = useMutation({ mutationFn: () => fetchAnswer(serial, challenge) });

  const serialError = touched && !SERIAL.test(serial) ? t('serialInvalid') : undefined;
  const challengeError = touched && !CHALLENGE.test(challenge) ? t('challengeInvalid') : undefined;

  const changeChallenge = (next: string) => {
    setChallenge(next.replace(/\D/g, '').slice(0, 8));
    compute.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (SERIAL.test(serial) && CHALLENGE.test(challenge)) compute.mutate();
  };

  return (
    <main id="main" className="dev-etoken">
      <h1 className="dev-etoken__title">{t('title')}</h1>
      <Alert tone="warning" testId="etoken-note" live={false}>
        {t('note')}
      </Alert>
      <form className="etoken-device" onSubmit={submit} noValidate data-testid="etoken-device">
        <p className="etoken-device__brand">{t('device')}</p>
        <output className="etoken-device__screen" aria-label={t('screen')} aria-live="polite">
          {compute.data ? (
            <>
              <span className="visually-hidden">{t('answer')}: </span>
              <span className="etoken-device__answer tabular" data-testid="etoken-answer">
                {compute.data.answer}
              </span>
            </>
          ) : (
            <span className="etoken-device__idle">{challenge || t('idle')}</span>
          )}
        </output>
        <TextField
          label={t('serial')}
          hint={t('serialHint')}
          error={serialError}
          value={serial}
          onChange={(event) => {
            setSerial(event.target.value.trim().toUpperCase());
            compute.reset();
          }}
          autoComplete="off"
          spellCheck={false}
          maxLength={32}
          required
          testId="etoken-serial"
        />
        <TextField
          label={t('challenge')}
          hint={t('challengeHint')}
          error={challengeError}
          value={challenge}
          onChange={(event) => changeChallenge(event.target.value)}
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          required
          className="tabular"
          testId="etoken-challenge"
        />
        <div className="etoken-device__keypad">
          {KEYS.map((key) => (
            <button
              key={key}
              type="button"
              className="etoken-key"
              onClick={() => changeChallenge(challenge + key)}
              data-testid={`etoken-key-${key}`}
            >
              {key}
            </button>
          ))}
          <button
            type="button"
            className="etoken-key etoken-key--fn"
            onClick={() => changeChallenge('')}
            data-testid="etoken-key-clear"
          >
            {t('clear')}
          </button>
          <button
            type="button"
            className="etoken-key"
            onClick={() => changeChallenge(`${challenge}0`)}
            data-testid="etoken-key-0"
          >
            0
          </button>
          <button
            type="button"
            className="etoken-key etoken-key--fn"
            onClick={() => changeChallenge(challenge.slice(0, -1))}
            aria-label={t('backspace')}
            data-testid="etoken-key-back"
          >
            ⌫
          </button>
        </div>
        <Button type="submit" block busy={compute.isPending} data-testid="etoken-compute">
          {t('compute')}
        </Button>
        {compute.isError && <ProblemAlert error={compute.error} testId="etoken-error" />}
      </form>
    </main>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { createQrLogin, pollQrLogin, type QrCreated, type QrState, qrImage } from './qrApi';

/** The server's lifetime of a code (auth/qr-login.ts): used when the browser's clock disagrees with the server's. */
const QR_LIFETIME_MS = 120_000;
/** A pending code is replaced this long before it expires, so the customer never scans a dying one. */
const ROTATE_BEFORE_MS = 5_000;
const RETRY_MS = 2_000;
const MAX_FAILURES = 3;

export type QrLogin = {
  qr: QrCreated | null;
  image: string | null;
  state: QrState;
  secondsLeft: number;
  error: unknown;
  loading: boolean;
  /** Asks a fresh code (after a denial, an expiry or an error). */
  renew: () => void;
};

/**
 * One QR login request after another for the login page's scan tab: asks a code, renders it, follows its
 * state by long polling, replaces a pending code shortly before it expires, and calls `onApproved` once
 * the server has given this browser its session.
 */
export function useQrLogin(onApproved: () => void): QrLogin {
  const [generation, setGeneration] = useState(0);
  const [current, setCurrent] = useState<{ qr: QrCreated; image: string; deadlineMs: number } | null>(null);
  const [state, setState] = useState<QrState>('pending');
  const [error, setError] = useState<unknown>(null);
  const [nowMs, setNowMs] = useState(() => Date.now());
  const approvedCalled = useRef(false);
  const renew = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    // generation is the trigger: each new value asks a new code.
    void generation;
    let cancelled = false;
    setError(null);
    setCurrent(null);
    (async () => {
      try {
        const qr = await createQrLogin();
        const image = await qrImage(qr.payload);
        if (cancelled) return;
        const receivedAtMs = Date.now();
        const serverTtlMs = Date.parse(qr.expiresAt) - receivedAtMs;
        const ttlMs = serverTtlMs > 0 && serverTtlMs <= QR_LIFETIME_MS ? serverTtlMs : QR_LIFETIME_MS;
        setState('pending');
        setNowMs(receivedAtMs);
        setCurrent({ qr, image, deadlineMs: receivedAtMs + ttlMs });
      } catch (failure) {
        if (!cancelled) setError(failure);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [generation]);

  useEffect(() => {
    if (!current) return;
    const controller = new AbortController();
    (async () => {
      let known: QrState = 'pending';
      let failures = 0;
      while (!controller.signal.aborted) {
        try {
          const { state: next } = await pollQrLogin(current.qr.qrId, known, controller.signal);
          failures = 0;
          known = next;
          setState(next);
          if (next !== 'pending' && next !== 'scanned') return;
        } catch (failure) {
          if (controller.signal.aborted) return;
          if (++failures >= MAX_FAILURES) {
            setError(failure);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        }
      }
    })();
    return () => controller.abort();
  }, [current]);

  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const msLeft = current ? current.deadlineMs - nowMs : 0;
  useEffect(() => {
    if (current && state === 'pending' && msLeft <= ROTATE_BEFORE_MS) renew();
  }, [current, state, msLeft, renew]);

  useEffect(() => {
    if (state === 'approved' && !approvedCalled.current) {
      approvedCalled.current = true;
      onApproved();
    }
  }, [state, onApproved]);

  return {
    qr: current?.qr ?? null,
    image: current?.image ?? null,
    state,
    secondsLeft: Math.max(0, Math.ceil(msLeft / 1000)),
    error,
    loading: current === null && error === null,
    renew,
  };
}

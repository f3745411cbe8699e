import { lazy } from 'react';

// The steps after the password (a security medium's challenge, the first-login password change) are not
// part of the login screen's first paint: they download while the visitor types (`preloadLaterSteps` on
// the form's first focus) and are certainly there by the time the server asks for them.
const loadChallenge = () => import('./ChallengeStep');
const loadChangePassword = () => import('./ChangePasswordStep');

export const ChallengeStep = lazy(async () => ({ default: (await loadChallenge()).ChallengeStep }));
export const ChangePasswordStep = lazy(async () => ({ default: (await loadChangePassword()).ChangePasswordStep }));

let started = false;

/** Starts downloading the later steps, once per page load. */
export function preloadLaterSteps() {
  if (started) return;
  started = true;
  void Promise.all([loadChallenge(), loadChangePassword()]).catch(() => {
    started = false;
  });
}

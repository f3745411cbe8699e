import { startAuthentication } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/ApiError';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import type { ChallengeView } from '../ui/securityMedium';

type Props = {
  view: ChallengeView;
  /** Sends the key's assertion to the reset's verify route; resolves when the server answered. */
  onAssertion: (assertion: object) => Promise<unknown>;
  busy: boolean;
};

/**
 * The U-shield answering a password reset's check (DESIGN.md, "Challenges"): insert the key, enter its
 * PIN, press its button; the browser asks the key (WebAuthn) for an assertion over this reset's challenge.
 */
export function ResetUShield({ view, onAssertion, busy }: Props) {
  const { t } = useTranslation('register');
  const sign = useMutation({
    mutationFn: async () => {
      if (!view.webauthnOptions) throw new Error('no WebAuthn options');
      return onAssertion(await startAuthentication({ optionsJSON: view.webauthnOptions }));
    },
  });
  // The server's refusals are shown by the step; here only what the key or the browser refused.
  const keyRefused = sign.error !== null && !(sign.error instanceof ApiError);
  return (
    <div className="medium medium--u-shield" data-testid="reset-u-shield">
      <p className="medium__text">{t('reset.uShieldLead')}</p>
      <ol className="medium__steps">
        <li>{t('reset.uShieldInsert')}</li>
        <li>{t('reset.uShieldPin')}</li>
        <li>{t('reset.uShieldButton')}</li>
      </ol>
      <Button size="lg" busy={sign.isPending || busy} onClick={() => sign.mutate()} data-testid="reset-u-shield-sign">
        {t('reset.uShieldSign')}
      </Button>
      {keyRefused && (
        <Alert tone="error" testId="reset-u-shield-error">
          {t('reset.uShieldFailed')}
        </Alert>
      )}
    </div>
  );
}

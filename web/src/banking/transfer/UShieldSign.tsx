import { startAuthentication } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button';
import { formatMoney } from '../../ui/money';
import { ApiError } from '../../api/ApiError';
import { Alert } from '../../ui/Alert';
import type { Money } from '../../ui/money';
import type { ChallengeView } from '../../ui/securityMedium';

type Props = {
  view: ChallengeView;
  /** Whom the payment pays and how much: what the key signs, in words. */
  signs: { payee: string; amount: Money };
  /** Sends the key's assertion (POST …/authorize); resolves when the server answered. */
  onAssertion: (assertion: object) => Promise<unknown>;
  busy: boolean;
};

/**
 * The U-shield's signature (DESIGN.md, "Challenges"): the payee and amount it signs, in words, beside
 * the prompt to insert the key, enter its PIN and press its button; then the browser asks the key
 * (WebAuthn) for an assertion over this payment's challenge.
 */
export function UShieldSign({ view, signs, onAssertion, busy }: Props) {
  const { t } = useTranslation('banking', { keyPrefix: 'auth' });
  const sign = useMutation({
    mutationFn: async () => {
      if (!view.webauthnOptions) throw new Error('no WebAuthn options');
      const assertion = await startAuthentication({ optionsJSON: view.webauthnOptions });
      return onAssertion(assertion);
    },
  });
  // The server's refusals are shown by the step; here only what the key or the browser refused.
  const keyRefused = sign.error !== null && !(sign.error instanceof ApiError);
  return (
    <div className="medium medium--u-shield" data-testid="auth-u-shield">
      <p className="medium__text" data-testid="auth-u-shield-signs">
        {t('uShieldSigns', { payee: signs.payee, amount: formatMoney(signs.amount) })}
      </p>
      <ol className="medium__steps">
        <li>{t('uShieldInsert')}</li>
        <li>{t('uShieldPin')}</li>
        <li>{t('uShieldButton')}</li>
      </ol>
      <Button size="lg" busy={sign.isPending || busy} onClick={() => sign.mutate()} data-testid="auth-u-shield-sign">
        {t('uShieldSign')}
      </Button>
      {keyRefused && (
        <Alert tone="error" testId="auth-u-shield-error">
          {t('uShieldFailed')}
        </Alert>
      )}
    </div>
  );
}

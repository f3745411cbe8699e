import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from './Alert';
import { maskMobile } from './cardNumber';
import { CodeField } from './CodeField';
import { PasswordCardGrid } from './PasswordCardGrid';
import { type ChallengeView, codeLabelKey, isTyped } from './securityMedium';
import type { CodeEntryField } from './useCodeEntry';

type Props = {
  view: ChallengeView;
  /**
   * Where the asking area keeps the texts (`smsSentTo`, `smsSent`, `passwordCardLead`, `eTokenLead`, the
   * four `…Label`s and `notSupported`): login says "sign in", a payment says "never tell anyone".
   */
  messages: { ns: string; keyPrefix: string };
  /** The line under the SMS text: the resend countdown, and what to do once it has run out. */
  smsMeta: ReactNode;
  field: CodeEntryField;
  /** Prefix of the test ids: `<prefix>-code`, `<prefix>-cells`, `<prefix>-token-code`. */
  testIdPrefix: string;
  size?: 'md' | 'lg';
  codeClassName?: string;
};

/**
 * A challenge in the look of its medium (DESIGN.md, "Challenges"): the masked mobile for SMS, the two
 * cells over a small drawing of the password card, the e-token's challenge code in large spaced digits;
 * then the one field for the answer, or a note when this page cannot answer that medium.
 */
export function MediumChallenge({ view, messages, smsMeta, field, testIdPrefix, size, codeClassName }: Props) {
  const { t } = useTranslation(messages.ns, { keyPrefix: messages.keyPrefix });
  return (
    <>
      {view.method === 'sms' && (
        <div className="medium medium--sms">
          <p className="medium__text">
            {view.mobile ? t('smsSentTo', { mobile: maskMobile(view.mobile) }) : t('smsSent')}
          </p>
          {smsMeta}
        </div>
      )}
      {view.method === 'password_card' && view.cells.length > 0 && (
        <div className="medium medium--card">
          <PasswordCardGrid cells={view.cells} />
          <div>
            <p className="medium__text">{t('passwordCardLead')}</p>
            <p className="medium__cells" data-testid={`${testIdPrefix}-cells`}>
              {view.cells.map((cell) => (
                <span key={cell} className="medium__cell">
                  {cell}
                </span>
              ))}
            </p>
          </div>
        </div>
      )}
      {view.method === 'e_token' && view.tokenCode && (
        <div className="medium medium--token">
          <p className="medium__text">{t('eTokenLead')}</p>
          <p className="medium__code tabular" data-testid={`${testIdPrefix}-token-code`}>
            {view.tokenCode}
          </p>
        </div>
      )}
      {isTyped(view.method) ? (
        <CodeField
          {...field}
          label={t(codeLabelKey(view.method))}
          oneTimeCode={view.method === 'sms'}
          size={size}
          required
          testId={`${testIdPrefix}-code`}
          className={codeClassName}
        />
      ) : (
        <Alert tone="info">{t('notSupported')}</Alert>
      )}
    </>
  );
}

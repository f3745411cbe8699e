import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { PasswordPolicyAnswer } from '../api/contract';
import { queryKeys } from '../api/queryKeys';
import { ErrorIcon, SuccessIcon } from './icons';

type Rule = PasswordPolicyAnswer['rules'][number];

/** The server's login-password rules (GET /api/v1/auth/password-policy): one definition, never a copy. */
export function usePasswordPolicy() {
  return useQuery({
    queryKey: queryKeys.passwordPolicy,
    queryFn: () => api<PasswordPolicyAnswer>('/api/v1/auth/password-policy'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Whether a rule the browser can check holds for this password; undefined for the server's own checks. */
function liveRuleHolds(policy: PasswordPolicyAnswer, rule: Rule, password: string): boolean | undefined {
  if (!rule.live) return undefined;
  switch (rule.rule) {
    case 'length':
      return password.length >= policy.minLength && password.length <= policy.maxLength;
    case 'characters':
      return password.length > 0 && /^[\x21-\x7E]+$/.test(password);
    case 'mix':
      return /[A-Za-z]/.test(password) && /\d/.test(password);
    default:
      return undefined;
  }
}

/** True when every rule the browser can check holds (the server still checks them all on submit). */
export function meetsLiveRules(policy: PasswordPolicyAnswer | undefined, password: string): boolean {
  if (!policy) return password.length > 0;
  return policy.rules.every((rule) => liveRuleHolds(policy, rule, password) !== false);
}

/**
 * The live checklist for a new-password field's hint: each rule in the customer's language, ticked as
 * it is met while they type; rules only the server can check (common passwords, personal facts, reuse)
 * are listed without a tick.
 */
export function PasswordRules({ password }: { password: string }) {
  const { t, i18n } = useTranslation();
  const { data: policy } = usePasswordPolicy();
  if (!policy) return null;
  const english = i18n.language === 'en';
  return (
    <ul className="policy" data-testid="password-policy">
      {policy.rules.map((rule) => {
        const holds = liveRuleHolds(policy, rule, password);
        const text = english ? rule.en : rule.zh;
        if (holds === undefined) {
          return (
            <li key={rule.rule} className="policy__server" data-state="server">
              {text}
            </li>
          );
        }
        return (
          <li key={rule.rule} className={holds ? 'policy__ok' : 'policy__todo'} data-state={holds ? 'met' : 'unmet'}>
            {holds ? <SuccessIcon size={14} /> : <ErrorIcon size={14} />}
            <span className="visually-hidden">{holds ? t('field.ruleMet') : t('field.ruleUnmet')}: </span>
            {text}
          </li>
        );
      })}
    </ul>
  );
}

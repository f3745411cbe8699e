import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PasswordField } from '../ui/PasswordField';
import { meetsLiveRules, PasswordRules, usePasswordPolicy } from '../ui/PasswordRules';

type Props = {
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  size?: 'md' | 'lg';
  /** Prefix of the test ids: `<prefix>-password`, `<prefix>-password-confirm`. */
  testIdPrefix: string;
};

/** What a form asks of its new-password fields before it submits. */
export type NewPasswordHandle = {
  /** True when both fields are fine; otherwise says what is wrong beside the field and focuses it. */
  check(): boolean;
};

/**
 * A new login password with the server's rules ticked live as the customer types (ui/PasswordRules),
 * and its confirmation. The server checks the full policy again.
 */
export const NewPasswordFields = forwardRef<NewPasswordHandle, Props>(function NewPasswordFields(
  { password, confirm, onPassword, onConfirm, size = 'md', testIdPrefix },
  ref,
) {
  const { t } = useTranslation('register');
  const { data: policy } = usePasswordPolicy();
  const [errors, setErrors] = useState<{ password?: string; confirm?: string }>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  useImperativeHandle(ref, () => ({
    check() {
      if (!meetsLiveRules(policy, password)) {
        setErrors({ password: t('fields.passwordPolicy') });
        passwordRef.current?.focus();
        return false;
      }
      if (confirm !== password) {
        setErrors({ confirm: t('fields.passwordMismatch') });
        confirmRef.current?.focus();
        return false;
      }
      setErrors({});
      return true;
    },
  }));

  return (
    <>
      <PasswordField
        ref={passwordRef}
        label={t('fields.newPassword')}
        value={password}
        onChange={(event) => onPassword(event.target.value)}
        error={errors.password}
        size={size}
        autoComplete="new-password"
        maxLength={policy?.maxLength ?? 128}
        required
        testId={`${testIdPrefix}-password`}
        hint={<PasswordRules password={password} />}
      />
      <PasswordField
        ref={confirmRef}
        label={t('fields.confirmPassword')}
        value={confirm}
        onChange={(event) => onConfirm(event.target.value)}
        error={errors.confirm}
        size={size}
        autoComplete="new-password"
        maxLength={policy?.maxLength ?? 128}
        required
        testId={`${testIdPrefix}-password-confirm`}
      />
    </>
  );
});

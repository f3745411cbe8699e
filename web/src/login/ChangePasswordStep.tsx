import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../ui/Button';
import { PasswordField } from '../ui/PasswordField';
import { meetsLiveRules, PasswordRules, usePasswordPolicy } from '../ui/PasswordRules';
import { ProblemAlert } from '../ui/ProblemAlert';
import { changeInitialPassword, type LoginResult } from './loginApi';

type Props = {
  attemptId: string;
  onResult: (result: LoginResult) => Promise<void>;
  onCancel: () => void;
  size?: 'md' | 'lg';
};

/** The step a counter-registered or reset customer sees: choose a new password before going in. */
export function ChangePasswordStep({ attemptId, onResult, onCancel, size = 'md' }: Props) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ password?: string; confirm?: string }>({});
  const { data: policy } = usePasswordPolicy();
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  const change = useMutation({
    mutationFn: async (newPassword: string) => onResult(await changeInitialPassword(attemptId, newPassword)),
    onError: () => passwordRef.current?.focus(),
  });

  useEffect(() => passwordRef.current?.focus(), []);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (change.isPending) return;
    if (!meetsLiveRules(policy, password)) {
      setErrors({ password: t('changePassword.tooShort') });
      return passwordRef.current?.focus();
    }
    if (confirm !== password) {
      setErrors({ confirm: t('changePassword.mismatch') });
      return confirmRef.current?.focus();
    }
    setErrors({});
    change.mutate(password);
  }

  return (
    <form className="step" onSubmit={submit} noValidate aria-labelledby="new-password-title">
      <div className="step__head">
        <h2 id="new-password-title" className="step__title">
          {t('changePassword.title')}
        </h2>
        <p className="step__lead">{t('changePassword.lead')}</p>
      </div>
      <PasswordField
        ref={passwordRef}
        label={t('changePassword.newPassword')}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={errors.password}
        size={size}
        autoComplete="new-password"
        maxLength={128}
        required
        testId="new-password"
        hint={<PasswordRules password={password} />}
      />
      <PasswordField
        ref={confirmRef}
        label={t('changePassword.confirm')}
        value={confirm}
        onChange={(event) => setConfirm(event.target.value)}
        error={errors.confirm}
        size={size}
        autoComplete="new-password"
        maxLength={128}
        required
        testId="new-password-confirm"
      />
      {change.isError && <ProblemAlert error={change.error} testId="login-error" />}
      <div className="step__actions">
        <Button type="submit" size="lg" block busy={change.isPending} data-testid="new-password-submit">
          {change.isPending ? t('changePassword.submitting') : t('changePassword.submit')}
        </Button>
        <Button variant="quiet" onClick={onCancel}>
          {t('challenge.backToLogin')}
        </Button>
      </div>
    </form>
  );
}

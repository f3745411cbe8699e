import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api/ApiError';
import { useRefreshSession } from '../api/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { useAgreement, useAgreementText } from '../legal/agreement';
import { AgreementText } from '../legal/AgreementText';
import { FormProblem } from '../register/FormProblem';
import { type NewPasswordHandle, NewPasswordFields } from '../register/NewPasswordFields';
import { DETAILS_MISMATCH, registerMobile } from '../register/registrationApi';
import { useSmsCode } from '../register/useSmsCode';
import { BrandMark } from '../ui/BrandMark';
import { Button } from '../ui/Button';
import { CodeField } from '../ui/CodeField';
import { isMobileNumber } from '../ui/identityNumbers';
import { TextField } from '../ui/TextField';
import '../register/messages';
import '../register/register.css';
import './register.css';
import './registerMessages';

type Errors = { mobile?: string; code?: string; agree?: string };

/**
 * The phone app's registration (issue 15, "Mobile first-login registration"): the mobile number and its
 * SMS code with the agreement, then the password; the answer signs the new customer in, who then binds a
 * card to see their accounts.
 */
export function MobileRegister() {
  const { t } = useTranslation('mobileRegister');
  const navigate = useNavigate();
  const refreshSession = useRefreshSession();
  useDocumentTitle(`${t('title')} · ${t('appName', { ns: 'mobile' })}`);
  const [stage, setStage] = useState<'mobile' | 'password'>('mobile');
  const [mobile, setMobile] = useState('');
  const [code, setCode] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const sms = useSmsCode('mobile');
  const agreement = useAgreement();
  const agreementText = useAgreementText(agreement.data);
  const mobileRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const agreeRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<NewPasswordHandle>(null);

  const register = useMutation({
    mutationFn: () =>
      registerMobile({ mobile, smsCode: code.trim(), password, agreementVersion: agreement.data?.version ?? '' }),
    onSuccess: async () => {
      // The registration signed the new customer in: load the session (and its CSRF token) first.
      await refreshSession().catch(() => undefined);
      navigate('/m/bind-card', { replace: true, state: { registered: true } });
    },
    onError: (error) => {
      // The one answer to a wrong code or an unknown mobile: back to where they are typed, the code cleared.
      if (error instanceof ApiError && error.code === DETAILS_MISMATCH) {
        setCode('');
        setStage('mobile');
      }
    },
  });

  function sendCode() {
    if (!isMobileNumber(mobile)) {
      setErrors({ mobile: t('mobileMissing') });
      return mobileRef.current?.focus();
    }
    setErrors({});
    sms.send.mutate(mobile, { onSuccess: () => codeRef.current?.focus() });
  }

  function next(event: FormEvent) {
    event.preventDefault();
    const found: Errors = {};
    if (!isMobileNumber(mobile)) found.mobile = t('mobileMissing');
    if (!code.trim()) found.code = sms.sent ? t('codeMissing') : t('codeFirst');
    if (!agreed) found.agree = t('agreeMissing');
    setErrors(found);
    if (found.mobile) return mobileRef.current?.focus();
    if (found.code) return codeRef.current?.focus();
    if (found.agree) return agreeRef.current?.focus();
    register.reset();
    setStage('password');
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (register.isPending || !passwordRef.current?.check()) return;
    register.mutate();
  }

  return (
    <div className="m-login m-register">
      <header className="m-register__bar">
        <BrandMark size={32} />
        <p className="m-register__app">{t('appName', { ns: 'mobile' })}</p>
        <LanguageSwitch className="lang-switch--compact" />
      </header>
      <main className="m-login__sheet" id="main">
        <h1 className="m-login__title">{stage === 'mobile' ? t('title') : t('passwordTitle')}</h1>
        <p className="m-register__lead">{stage === 'mobile' ? t('lead') : t('passwordLead')}</p>
        {stage === 'mobile' ? (
          <form className="credentials" onSubmit={next} noValidate>
            <div className="m-register__mobile">
              <TextField
                ref={mobileRef}
                label={t('mobile')}
                value={mobile}
                onChange={(event) => setMobile(event.target.value.replace(/\D/g, '').slice(0, 11))}
                error={errors.mobile}
                size="lg"
                type="tel"
                inputMode="numeric"
                autoComplete="tel-national"
                maxLength={11}
                required
                testId="m-register-mobile"
              />
              <Button
                variant="secondary"
                size="lg"
                onClick={sendCode}
                busy={sms.send.isPending}
                disabled={sms.resendLeft > 0}
                data-testid="m-register-send"
              >
                {sms.resendLeft > 0 ? t('resendIn', { seconds: sms.resendLeft }) : sms.sent ? t('resend') : t('send')}
              </Button>
            </div>
            {sms.sent && (
              <p className="m-register__sent" role="status" data-testid="m-register-sent">
                {t('sentTo', { mobile: sms.sent.maskedMobile })}
              </p>
            )}
            {sms.send.isError && <FormProblem error={sms.send.error} testId="m-register-sms-error" />}
            {register.isError && <FormProblem error={register.error} testId="m-register-error" />}
            <CodeField
              ref={codeRef}
              label={t('code')}
              value={code}
              onChange={setCode}
              error={errors.code}
              size="lg"
              oneTimeCode
              required
              testId="m-register-code"
            />
            <div className={errors.agree ? 'consent consent--invalid' : 'consent'}>
              <input
                ref={agreeRef}
                id="m-register-agree"
                type="checkbox"
                checked={agreed}
                onChange={(event) => {
                  setAgreed(event.target.checked);
                  setErrors((previous) => ({ ...previous, agree: undefined }));
                }}
                aria-invalid={errors.agree ? true : undefined}
                aria-describedby={errors.agree ? 'm-register-agree-error' : undefined}
                data-testid="m-register-agree"
              />
              <label htmlFor="m-register-agree">{t('agree', { title: agreementText?.title ?? '' })}</label>
              {errors.agree && (
                <p id="m-register-agree-error" className="field__error" role="alert">
                  {errors.agree}
                </p>
              )}
            </div>
            <details className="m-register__agreement">
              <summary>{t('readAgreement')}</summary>
              <AgreementText layout="framed" />
            </details>
            <Button type="submit" size="lg" block disabled={!agreement.data} data-testid="m-register-next">
              {t('next')}
            </Button>
          </form>
        ) : (
          <form className="credentials" onSubmit={submit} noValidate aria-busy={register.isPending || undefined}>
            <NewPasswordFields
              ref={passwordRef}
              password={password}
              confirm={confirm}
              onPassword={setPassword}
              onConfirm={setConfirm}
              size="lg"
              testIdPrefix="m-register"
            />
            {register.isError && <FormProblem error={register.error} testId="m-register-error" />}
            <Button type="submit" size="lg" block busy={register.isPending} data-testid="m-register-submit">
              {register.isPending ? t('submitting') : t('submit')}
            </Button>
            <Button variant="quiet" size="lg" block onClick={() => setStage('mobile')} disabled={register.isPending}>
              {t('previous')}
            </Button>
          </form>
        )}
        <p className="m-login__links">
          <Link to="/m/login">{t('back')}</Link>
        </p>
      </main>
    </div>
  );
}

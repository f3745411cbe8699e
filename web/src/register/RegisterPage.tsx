import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api/ApiError';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { useAgreement, useAgreementText } from '../legal/agreement';
import { AgreementText } from '../legal/AgreementText';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { CodeField } from '../ui/CodeField';
import { maskMobile } from '../ui/cardNumber';
import { useProblemText } from '../ui/ProblemAlert';
import { useCodeEntry } from '../ui/useCodeEntry';
import { CardDetailsFields, type CardDetails, checkCardDetails, type DetailErrors } from './CardDetailsFields';
import { FormProblem } from './FormProblem';
import { type NewPasswordHandle, NewPasswordFields } from './NewPasswordFields';
import { AGREEMENT_OUTDATED, DETAILS_MISMATCH, registerSelf } from './registrationApi';
import { SmsResend } from './SmsResend';
import { useSmsCode } from './useSmsCode';
import { type HeadingRef, StepHead } from './StepHead';
import { useStepFocus } from './useStepFocus';
import { WizardSteps } from './WizardSteps';
import './messages';
import './register.css';

const STEPS = ['agreement', 'details', 'password', 'done'] as const;
type Step = (typeof STEPS)[number];

const EMPTY: CardDetails = { cardNumber: '', cardPin: '', name: '', idNumber: '', mobile: '' };

/**
 * 网上自助注册: a holder of a Jinku card opens e-banking online. The agreement in full (its version is
 * sent), the card and personal details with a code to the registered mobile, then the SMS code and the
 * new password; the result is a static-password customer, told what that allows.
 */
export function RegisterPage() {
  const { t } = useTranslation('register');
  const { t: tc } = useTranslation();
  useDocumentTitle(`${t('register.title')} · ${tc('brand.name')}`);
  const [step, setStep] = useState<Step>('agreement');
  const [agreementVersion, setAgreementVersion] = useState('');
  const [details, setDetails] = useState<CardDetails>(EMPTY);
  /** The bank's one answer to details that do not match its records (it never says which). */
  const [mismatch, setMismatch] = useState<string>();
  const [agreementChanged, setAgreementChanged] = useState(false);
  const [registered, setRegistered] = useState({ name: '', mobile: '' });
  const sms = useSmsCode('self');
  const headingRef = useStepFocus(step);

  return (
    <div className="wizard" data-testid="register-page">
      <header className="wizard__head">
        <h1 className="wizard__title">{t('register.title')}</h1>
        <p className="wizard__lead">{t('register.lead')}</p>
      </header>
      <WizardSteps prefix="register.steps" steps={STEPS} current={STEPS.indexOf(step)} />
      <section className="wizard__card" aria-labelledby="wizard-step-title">
        {step === 'agreement' && (
          <AgreementStep
            headingRef={headingRef}
            changed={agreementChanged}
            onAgree={(version) => {
              setAgreementVersion(version);
              setStep('details');
            }}
          />
        )}
        {step === 'details' && (
          <DetailsStep
            headingRef={headingRef}
            details={details}
            onChange={setDetails}
            mismatch={mismatch}
            sms={sms}
            onSent={() => setStep('password')}
            onBack={() => setStep('agreement')}
          />
        )}
        {step === 'password' && (
          <PasswordStep
            headingRef={headingRef}
            details={details}
            agreementVersion={agreementVersion}
            sms={sms}
            onMismatch={(message) => {
              // The bank's records disagree with something typed: back to the details, the PIN cleared.
              setMismatch(message);
              setDetails((previous) => ({ ...previous, cardPin: '' }));
              sms.forget();
              setStep('details');
            }}
            onAgreementOutdated={() => {
              setAgreementChanged(true);
              setStep('agreement');
            }}
            onRegistered={(name) => {
              setRegistered({ name, mobile: details.mobile });
              setDetails(EMPTY);
              setStep('done');
            }}
            onBack={() => setStep('details')}
          />
        )}
        {step === 'done' && <DoneStep headingRef={headingRef} {...registered} />}
      </section>
      {step !== 'done' && (
        <p className="wizard__exit">
          <Link to="/">{t('backToLogin')}</Link>
        </p>
      )}
    </div>
  );
}

function AgreementStep({
  headingRef,
  changed,
  onAgree,
}: {
  headingRef: HeadingRef;
  changed: boolean;
  onAgree: (version: string) => void;
}) {
  const { t } = useTranslation('register');
  const agreement = useAgreement();
  const text = useAgreementText(agreement.data);
  const [agreed, setAgreed] = useState(false);
  const [error, setError] = useState<string>();
  const checkboxRef = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!agreement.data) return;
    if (!agreed) {
      setError(t('register.agreeMissing'));
      checkboxRef.current?.focus();
      return;
    }
    onAgree(agreement.data.version);
  }

  return (
    <form className="step" onSubmit={submit} noValidate>
      <StepHead headingRef={headingRef} title={t('register.agreementTitle')} />
      {changed && (
        <Alert tone="warning" testId="register-agreement-changed">
          {t('register.agreementChanged')}
        </Alert>
      )}
      <AgreementText layout="framed" />
      {agreement.data && text && (
        <div className={error ? 'consent consent--invalid' : 'consent'}>
          <input
            ref={checkboxRef}
            id="register-agree"
            type="checkbox"
            checked={agreed}
            onChange={(event) => {
              setAgreed(event.target.checked);
              setError(undefined);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'register-agree-error' : undefined}
            data-testid="register-agree"
          />
          <label htmlFor="register-agree">
            {t('register.agree', { title: text.title, version: agreement.data.version })}
          </label>
          {error && (
            <p id="register-agree-error" className="field__error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
      <div className="wizard__actions">
        <Button type="submit" size="lg" disabled={!agreement.data} data-testid="register-agree-next">
          {t('register.next')}
        </Button>
      </div>
    </form>
  );
}

type DetailsProps = {
  headingRef: HeadingRef;
  details: CardDetails;
  onChange: (details: CardDetails) => void;
  mismatch: string | undefined;
  sms: ReturnType<typeof useSmsCode>;
  onSent: () => void;
  onBack: () => void;
};

function DetailsStep({ headingRef, details, onChange, mismatch, sms, onSent, onBack }: DetailsProps) {
  const { t } = useTranslation('register');
  const [errors, setErrors] = useState<DetailErrors>({});
  const fieldsRef = useRef<{ focus: (field: keyof CardDetails) => void }>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (sms.send.isPending) return;
    const found = checkCardDetails(details, t);
    setErrors(found);
    const first = (Object.keys(found) as Array<keyof CardDetails>)[0];
    if (first) return fieldsRef.current?.focus(first);
    // A code is still valid for these details: no need to ask another before the countdown has run out.
    if (sms.sent && sms.resendLeft > 0) return onSent();
    sms.send.mutate(details.mobile, { onSuccess: onSent });
  }

  return (
    <form className="step" onSubmit={submit} noValidate aria-busy={sms.send.isPending || undefined}>
      <StepHead headingRef={headingRef} title={t('register.detailsTitle')} lead={t('register.detailsLead')} />
      {mismatch && (
        <Alert tone="error" testId="register-mismatch">
          {mismatch}
        </Alert>
      )}
      <CardDetailsFields
        ref={fieldsRef}
        details={details}
        onChange={onChange}
        errors={errors}
        withMobile
        testIdPrefix="register"
      />
      {sms.send.isError && <FormProblem error={sms.send.error} testId="register-sms-error" />}
      <div className="wizard__actions">
        <Button variant="secondary" onClick={onBack}>
          {t('back')}
        </Button>
        <Button type="submit" size="lg" busy={sms.send.isPending} data-testid="register-details-next">
          {sms.send.isPending ? t('sms.sending') : t('register.detailsNext')}
        </Button>
      </div>
    </form>
  );
}

type PasswordProps = {
  headingRef: HeadingRef;
  details: CardDetails;
  agreementVersion: string;
  sms: ReturnType<typeof useSmsCode>;
  onMismatch: (message: string) => void;
  onAgreementOutdated: () => void;
  onRegistered: (name: string) => void;
  onBack: () => void;
};

function PasswordStep(props: PasswordProps) {
  const { headingRef, details, agreementVersion, sms, onMismatch, onAgreementOutdated, onRegistered, onBack } = props;
  const { t } = useTranslation('register');
  const problemText = useProblemText();
  const entry = useCodeEntry();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const passwordRef = useRef<NewPasswordHandle>(null);
  const register = useMutation({
    mutationFn: () => registerSelf({ ...details, smsCode: entry.field.value.trim(), password, agreementVersion }),
    onSuccess: (answer) => onRegistered(answer.customer.name),
    onError: (error) => {
      if (error instanceof ApiError && error.code === DETAILS_MISMATCH) onMismatch(problemText(error));
      else if (error instanceof ApiError && error.code === AGREEMENT_OUTDATED) onAgreementOutdated();
      else entry.retry();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (register.isPending) return;
    if (!entry.answer(t('fields.smsCodeMissing'))) return;
    if (!passwordRef.current?.check()) return;
    register.mutate();
  }

  return (
    <form className="step" onSubmit={submit} noValidate aria-busy={register.isPending || undefined}>
      <StepHead headingRef={headingRef} title={t('register.passwordTitle')} lead={t('register.passwordLead')} />
      <div className="medium medium--sms">
        <p className="medium__text" data-testid="register-sms-sent">
          {t('sms.sentTo', { mobile: sms.sent?.maskedMobile ?? maskMobile(details.mobile) })}
        </p>
        <SmsResend sms={sms} mobile={details.mobile} testIdPrefix="register" />
      </div>
      <CodeField {...entry.field} label={t('fields.smsCode')} oneTimeCode required testId="register-sms-code" />
      <NewPasswordFields
        ref={passwordRef}
        password={password}
        confirm={confirm}
        onPassword={setPassword}
        onConfirm={setConfirm}
        testIdPrefix="register"
      />
      {register.isError && <FormProblem error={register.error} testId="register-error" />}
      <div className="wizard__actions">
        <Button variant="secondary" onClick={onBack} disabled={register.isPending}>
          {t('back')}
        </Button>
        <Button type="submit" size="lg" busy={register.isPending} data-testid="register-submit">
          {register.isPending ? t('register.submitting') : t('register.submit')}
        </Button>
      </div>
    </form>
  );
}

function DoneStep({ headingRef, name, mobile }: { headingRef: HeadingRef; name: string; mobile: string }) {
  const { t } = useTranslation('register');
  const navigate = useNavigate();
  return (
    <div className="step" data-testid="register-done">
      <StepHead headingRef={headingRef} title={t('register.doneTitle')} />
      <Alert tone="success">{t('register.doneBody', { name, mobile: maskMobile(mobile) })}</Alert>
      <div className="tier-note" data-testid="register-tier">
        <h3 className="tier-note__title">{t('register.tierTitle')}</h3>
        <p>{t('register.tierBody')}</p>
      </div>
      <div className="wizard__actions">
        <Button size="lg" onClick={() => navigate('/')} data-testid="register-sign-in">
          {t('signIn')}
        </Button>
      </div>
    </div>
  );
}

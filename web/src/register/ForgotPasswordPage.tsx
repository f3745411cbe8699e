import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../api/ApiError';
import type { AuthorizationView } from '../api/contract';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { CaptchaField } from '../login/CaptchaField';
import { isCaptchaProblem } from '../login/loginApi';
import { useCaptcha } from '../login/useCaptcha';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { MediumChallenge } from '../ui/MediumChallenge';
import { challengeView, isTyped, isWebAuthn } from '../ui/securityMedium';
import { TextField } from '../ui/TextField';
import { useCodeEntry } from '../ui/useCodeEntry';
import { useCountdown } from '../ui/useCountdown';
import { CardDetailsFields, type CardDetails, checkCardDetails, type DetailErrors } from './CardDetailsFields';
import { FormProblem } from './FormProblem';
import { type NewPasswordHandle, NewPasswordFields } from './NewPasswordFields';
import {
  finishPasswordReset,
  type PasswordResetChallenge,
  RESET_EXPIRED,
  renewPasswordResetChallenge,
  startPasswordReset,
  verifyPasswordReset,
} from './registrationApi';
import { type HeadingRef, StepHead } from './StepHead';
import { ResetUShield } from './ResetUShield';
import { useStepFocus } from './useStepFocus';
import { WizardSteps } from './WizardSteps';
import './messages';
import './register.css';

const STEPS = ['identify', 'check', 'password', 'done'] as const;
type Step = (typeof STEPS)[number];

/**
 * 找回密码: the online reset of a forgotten login password. The customer proves who they are (sign-in
 * ID, card and PIN, ID number, captcha), answers the security check with the medium the server chose,
 * and sets a new password; the login lock is lifted.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation('register');
  const { t: tc } = useTranslation();
  useDocumentTitle(`${t('reset.title')} · ${tc('brand.name')}`);
  const [step, setStep] = useState<Step>('identify');
  const [reset, setReset] = useState<PasswordResetChallenge>();
  const headingRef = useStepFocus(step);
  const restart = () => {
    setReset(undefined);
    setStep('identify');
  };

  return (
    <div className="wizard" data-testid="reset-page">
      <header className="wizard__head">
        <h1 className="wizard__title">{t('reset.title')}</h1>
        <p className="wizard__lead">{t('reset.lead')}</p>
      </header>
      <WizardSteps prefix="reset.steps" steps={STEPS} current={STEPS.indexOf(step)} />
      <section className="wizard__card" aria-labelledby="wizard-step-title">
        {step === 'identify' && (
          <IdentifyStep
            headingRef={headingRef}
            onStarted={(started) => {
              setReset(started);
              setStep('check');
            }}
          />
        )}
        {step === 'check' && reset && (
          <CheckStep
            headingRef={headingRef}
            reset={reset}
            onChallenge={setReset}
            onVerified={() => setStep('password')}
            onRestart={restart}
          />
        )}
        {step === 'password' && reset && (
          <PasswordStep
            headingRef={headingRef}
            resetId={reset.resetId}
            onDone={() => setStep('done')}
            onRestart={restart}
          />
        )}
        {step === 'done' && <DoneStep headingRef={headingRef} />}
      </section>
      {step !== 'done' && (
        <p className="wizard__exit">
          <Link to="/">{t('backToLogin')}</Link>
        </p>
      )}
    </div>
  );
}

const NO_DETAILS: CardDetails = { cardNumber: '', cardPin: '', name: '', idNumber: '', mobile: '' };

function IdentifyStep({
  headingRef,
  onStarted,
}: {
  headingRef: HeadingRef;
  onStarted: (reset: PasswordResetChallenge) => void;
}) {
  const { t } = useTranslation('register');
  const { t: tc } = useTranslation();
  const [identifier, setIdentifier] = useState('');
  const [details, setDetails] = useState<CardDetails>(NO_DETAILS);
  const [captchaAnswer, setCaptchaAnswer] = useState('');
  const [errors, setErrors] = useState<DetailErrors & { identifier?: string; captcha?: string }>({});
  const captcha = useCaptcha();
  const identifierRef = useRef<HTMLInputElement>(null);
  const captchaRef = useRef<HTMLInputElement>(null);
  const fieldsRef = useRef<{ focus: (field: keyof CardDetails) => void }>(null);

  const start = useMutation({
    mutationFn: () =>
      startPasswordReset({
        identifier: identifier.replace(/\s+/g, ''),
        cardNumber: details.cardNumber,
        cardPin: details.cardPin,
        idNumber: details.idNumber,
        captchaId: captcha.captchaId ?? '',
        captchaAnswer: captchaAnswer.trim(),
      }),
    onSuccess: onStarted,
    onError: (error) => {
      // A captcha answers once: every refusal needs a new one, and the PIN is typed again.
      captcha.refresh();
      setCaptchaAnswer('');
      setDetails((previous) => ({ ...previous, cardPin: '' }));
      if (error instanceof ApiError && isCaptchaProblem(error.code)) {
        setErrors({ captcha: error.detail ?? tc('login.captchaRequired') });
        captchaRef.current?.focus();
      }
    },
  });
  const captchaRefused = start.error instanceof ApiError && isCaptchaProblem(start.error.code);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (start.isPending) return;
    const found: typeof errors = {};
    if (!identifier.trim()) found.identifier = t('fields.identifierMissing');
    Object.assign(found, checkCardDetails(details, t, { withName: false }));
    if (!captchaAnswer.trim()) found.captcha = tc('login.captchaRequired');
    setErrors(found);
    if (found.identifier) return identifierRef.current?.focus();
    const first = (['cardNumber', 'cardPin', 'idNumber'] as const).find((field) => found[field]);
    if (first) return fieldsRef.current?.focus(first);
    if (found.captcha) return captchaRef.current?.focus();
    start.mutate();
  }

  return (
    <form className="step" onSubmit={submit} noValidate aria-busy={start.isPending || undefined}>
      <StepHead headingRef={headingRef} title={t('reset.identifyTitle')} lead={t('reset.identifyLead')} />
      <TextField
        ref={identifierRef}
        label={t('fields.identifier')}
        hint={t('fields.identifierHint')}
        value={identifier}
        onChange={(event) => setIdentifier(event.target.value)}
        error={errors.identifier}
        autoComplete="username"
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        maxLength={64}
        required
        testId="reset-identifier"
      />
      <CardDetailsFields
        ref={fieldsRef}
        details={details}
        onChange={setDetails}
        errors={errors}
        withName={false}
        testIdPrefix="reset"
      />
      <CaptchaField
        ref={captchaRef}
        captcha={captcha}
        value={captchaAnswer}
        onChange={setCaptchaAnswer}
        error={errors.captcha}
        testIdPrefix="reset"
      />
      {start.isError && !captchaRefused && <FormProblem error={start.error} testId="reset-error" />}
      <div className="wizard__actions">
        <Button type="submit" size="lg" busy={start.isPending} data-testid="reset-next">
          {t('reset.next')}
        </Button>
      </div>
    </form>
  );
}

type CheckProps = {
  headingRef: HeadingRef;
  reset: PasswordResetChallenge;
  onChallenge: (reset: PasswordResetChallenge) => void;
  onVerified: () => void;
  onRestart: () => void;
};

/**
 * The reset's security check, in the look of the medium the server chose (ui/MediumChallenge): a new SMS
 * code once the countdown has run out, the other media the customer holds, and a new password card's
 * cells after a wrong answer.
 */
function CheckStep({ headingRef, reset, onChallenge, onVerified, onRestart }: CheckProps) {
  const { t } = useTranslation('register');
  const { authorization } = reset;
  const view = challengeView(authorization.method, authorization.challenge);
  const entry = useCodeEntry();
  // A new challenge object means a new code was sent: the countdown starts again.
  const resendLeft = useCountdown(view.method === 'sms' ? view.resendAfterSeconds : 0, authorization);
  const verify = useMutation({
    mutationFn: (answer: string | object) => verifyPasswordReset(reset.resetId, view.method, answer),
    onSuccess: onVerified,
    onError: (error) => {
      // A wrong password-card answer draws new cells: show them, and ask again.
      const next =
        error instanceof ApiError ? (error.extensions.authorization as AuthorizationView | undefined) : undefined;
      if (next) onChallenge({ ...reset, authorization: next });
      entry.retry();
    },
  });
  const renew = useMutation({
    mutationFn: (method?: string) => renewPasswordResetChallenge(reset.resetId, method),
    onSuccess: (renewed) => {
      onChallenge(renewed);
      entry.retry();
    },
  });
  const failure = verify.error ?? renew.error;
  const expired = failure instanceof ApiError && failure.code === RESET_EXPIRED;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (verify.isPending) return;
    const answer = entry.answer(t('reset.missingCode'));
    if (!answer) return;
    renew.reset();
    verify.mutate(answer);
  }

  function ask(method?: string) {
    verify.reset();
    renew.mutate(method);
  }

  return (
    <form className="step" onSubmit={submit} noValidate aria-busy={verify.isPending || undefined}>
      <StepHead headingRef={headingRef} title={t('reset.checkTitle')} lead={t('reset.checkLead')} />
      {isWebAuthn(view) ? (
        <ResetUShield
          view={view}
          busy={verify.isPending}
          onAssertion={(assertion) => {
            renew.reset();
            return verify.mutateAsync(assertion);
          }}
        />
      ) : (
        <MediumChallenge
          view={view}
          messages={{ ns: 'register', keyPrefix: 'reset' }}
          field={entry.field}
          testIdPrefix="reset-challenge"
          smsMeta={
            <p className="medium__meta step__resend tabular" data-testid="reset-countdown">
              {resendLeft > 0 ? (
                t('reset.resendIn', { seconds: resendLeft })
              ) : (
                <Button
                  variant="quiet"
                  size="sm"
                  onClick={() => ask()}
                  busy={renew.isPending}
                  data-testid="reset-resend"
                >
                  {t('reset.resend')}
                </Button>
              )}
            </p>
          }
        />
      )}
      {authorization.alternatives.length > 0 && (
        <p className="step__alternatives">
          <span>{t('reset.alternatives')}</span>
          {authorization.alternatives.map((method) => (
            <Button
              key={method}
              variant="quiet"
              size="sm"
              onClick={() => ask(method)}
              disabled={renew.isPending || verify.isPending}
              data-testid={`reset-use-${method}`}
            >
              {t('reset.useInstead', { medium: t(`reset.media.${method}`, { defaultValue: method }) })}
            </Button>
          ))}
        </p>
      )}
      {failure && <FormProblem error={failure} testId="reset-check-error" />}
      <div className="wizard__actions">
        <Button variant="secondary" onClick={onRestart} disabled={verify.isPending}>
          {expired ? t('reset.restart') : t('back')}
        </Button>
        {isTyped(view.method) && !expired && (
          <Button type="submit" size="lg" busy={verify.isPending} data-testid="reset-check-submit">
            {verify.isPending ? t('reset.verifying') : t('reset.checkSubmit')}
          </Button>
        )}
      </div>
    </form>
  );
}

function PasswordStep({
  headingRef,
  resetId,
  onDone,
  onRestart,
}: {
  headingRef: HeadingRef;
  resetId: string;
  onDone: () => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation('register');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const passwordRef = useRef<NewPasswordHandle>(null);
  const finish = useMutation({ mutationFn: () => finishPasswordReset(resetId, password), onSuccess: onDone });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (finish.isPending) return;
    if (passwordRef.current?.check()) finish.mutate();
  }

  return (
    <form className="step" onSubmit={submit} noValidate aria-busy={finish.isPending || undefined}>
      <StepHead headingRef={headingRef} title={t('reset.passwordTitle')} lead={t('reset.passwordLead')} />
      <NewPasswordFields
        ref={passwordRef}
        password={password}
        confirm={confirm}
        onPassword={setPassword}
        onConfirm={setConfirm}
        testIdPrefix="reset"
      />
      {finish.isError && <FormProblem error={finish.error} testId="reset-password-error" />}
      <div className="wizard__actions">
        <Button variant="secondary" onClick={onRestart} disabled={finish.isPending}>
          {t('back')}
        </Button>
        <Button type="submit" size="lg" busy={finish.isPending} data-testid="reset-submit">
          {finish.isPending ? t('reset.submitting') : t('reset.submit')}
        </Button>
      </div>
    </form>
  );
}

function DoneStep({ headingRef }: { headingRef: HeadingRef }) {
  const { t } = useTranslation('register');
  const navigate = useNavigate();
  return (
    <div className="step" data-testid="reset-done">
      <StepHead headingRef={headingRef} title={t('reset.doneTitle')} />
      <Alert tone="success">{t('reset.doneBody')}</Alert>
      <div className="wizard__actions">
        <Button size="lg" onClick={() => navigate('/')} data-testid="reset-sign-in">
          {t('signIn')}
        </Button>
      </div>
    </div>
  );
}

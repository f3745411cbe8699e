import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { invalidate, queryKeys } from '../api/queryKeys';
import { useDocumentTitle } from '../app/useDocumentTitle';
import {
  CardDetailsFields,
  type CardDetails,
  checkCardDetails,
  type DetailErrors,
} from '../register/CardDetailsFields';
import { FormProblem } from '../register/FormProblem';
import { bindCard } from '../register/registrationApi';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import '../register/messages';
import '../register/register.css';
import './register.css';
import './registerMessages';

const EMPTY: CardDetails = { cardNumber: '', cardPin: '', name: '', idNumber: '', mobile: '' };

/**
 * Binds a Jinku debit card to the signed-in customer (POST /api/v1/accounts/bind): the card number, its
 * PIN and the ID number; the card's account then shows on the home tab.
 */
export function MobileBindCard() {
  const { t } = useTranslation('mobileRegister');
  const { t: tr } = useTranslation('register');
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  const justRegistered = (location.state as { registered?: boolean } | null)?.registered === true;
  useDocumentTitle(`${t('bind.title')} · ${t('appName', { ns: 'mobile' })}`);
  const [details, setDetails] = useState<CardDetails>(EMPTY);
  const [errors, setErrors] = useState<DetailErrors>({});
  const fieldsRef = useRef<{ focus: (field: keyof CardDetails) => void }>(null);
  const bind = useMutation({
    mutationFn: () =>
      bindCard({ cardNumber: details.cardNumber, cardPin: details.cardPin, idNumber: details.idNumber }),
    onSuccess: () => {
      invalidate(client, [queryKeys.accounts]);
      navigate('/m/', { replace: true });
    },
    onError: () => setDetails((previous) => ({ ...previous, cardPin: '' })),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (bind.isPending) return;
    const found = checkCardDetails(details, tr, { withName: false });
    setErrors(found);
    const first = (['cardNumber', 'cardPin', 'idNumber'] as const).find((field) => found[field]);
    if (first) return fieldsRef.current?.focus(first);
    bind.mutate();
  }

  return (
    <div className="m-bind" data-testid="m-bind-card">
      <h1 className="m-bind__title">{t('bind.title')}</h1>
      {justRegistered && (
        <Alert tone="success" testId="m-bind-registered">
          {t('bind.registered')}
        </Alert>
      )}
      <p className="m-register__lead">{t('bind.lead')}</p>
      <form className="credentials" onSubmit={submit} noValidate aria-busy={bind.isPending || undefined}>
        <CardDetailsFields
          ref={fieldsRef}
          details={details}
          onChange={setDetails}
          errors={errors}
          withName={false}
          size="lg"
          testIdPrefix="m-bind"
        />
        {bind.isError && <FormProblem error={bind.error} testId="m-bind-error" />}
        <Button type="submit" size="lg" block busy={bind.isPending} data-testid="m-bind-submit">
          {bind.isPending ? t('bind.submitting') : t('bind.submit')}
        </Button>
        <Button variant="quiet" size="lg" block onClick={() => navigate('/m/')}>
          {t('bind.later')}
        </Button>
      </form>
    </div>
  );
}

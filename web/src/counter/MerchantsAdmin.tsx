import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MerchantAdminList, MerchantAdminView, NewMerchantBody } from '../api/contract';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { FieldFrame } from '../ui/FieldFrame';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { TextField } from '../ui/TextField';
import { counterApi } from './counterApi';

const MERCHANTS_KEY = ['counter', 'merchants'] as const;

/**
 * The admin area's merchants (issue 17): the register of merchants with suspend and resume, and the
 * form that registers one (the server calls the same function as `npm run merchant -- add`). Only
 * staff with the admin role reach it (Alt+M); the server checks the role again.
 */
export function MerchantsAdmin() {
  const { t } = useTranslation('counter');
  const client = useQueryClient();
  const merchants = useQuery({
    queryKey: MERCHANTS_KEY,
    queryFn: () => counterApi<MerchantAdminList>('/api/v1/counter/merchants'),
  });
  const toggle = useMutation({
    mutationFn: (m: MerchantAdminView) =>
      counterApi<MerchantAdminView>(
        `/api/v1/counter/merchants/${encodeURIComponent(m.appId)}/${m.status === 'active' ? 'suspend' : 'resume'}`,
        { method: 'POST', body: {} },
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: MERCHANTS_KEY }),
  });

  return (
    <div className="c-merchants" data-testid="merchants-admin">
      <h3 className="c-subtitle">{t('merchants.list')}</h3>
      {merchants.isPending && <Spinner />}
      {merchants.isError && <ProblemAlert staff error={merchants.error} testId="merchants-error" />}
      {toggle.isError && <ProblemAlert staff error={toggle.error} testId="merchants-toggle-error" />}
      {merchants.data && merchants.data.items.length === 0 && <p className="c-muted">{t('merchants.none')}</p>}
      {merchants.data && merchants.data.items.length > 0 && (
        <table className="c-table c-table--compact">
          <thead>
            <tr>
              <th scope="col">{t('merchants.appId')}</th>
              <th scope="col">{t('merchants.name')}</th>
              <th scope="col">{t('merchants.status')}</th>
              <th scope="col">{t('merchants.settlement')}</th>
              <th scope="col">{t('merchants.notifyPrefix')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('shell.operations')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {merchants.data.items.map((m) => (
              <tr key={m.appId} data-testid="merchant-row" data-app-id={m.appId} data-status={m.status}>
                <td className="tabular">{m.appId}</td>
                <td>{m.name}</td>
                <td data-testid="merchant-status">{t(`merchants.${m.status}`)}</td>
                <td className="tabular">{m.settlementAccountNumber}</td>
                <td>{m.notifyUrlPrefix ?? '—'}</td>
                <td className="c-table__actions">
                  <Button
                    variant="secondary"
                    size="sm"
                    busy={toggle.isPending && toggle.variables?.appId === m.appId}
                    onClick={() => toggle.mutate(m)}
                    data-testid="merchant-toggle"
                  >
                    {m.status === 'active' ? t('merchants.suspend') : t('merchants.resume')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <RegisterMerchant onRegistered={() => client.invalidateQueries({ queryKey: MERCHANTS_KEY })} />
    </div>
  );
}

const EMPTY = { name: '', settlementAccountNumber: '', publicKeyPem: '', notifyUrlPrefix: '' };

/** Name, settlement account, public key (pasted) and notify URL prefix; the signature type is RSA2. */
function RegisterMerchant({ onRegistered }: { onRegistered: () => void }) {
  const { t } = useTranslation('counter');
  const [values, setValues] = useState(EMPTY);
  const [missing, setMissing] = useState(false);
  const register = useMutation({
    mutationFn: (body: NewMerchantBody) =>
      counterApi<MerchantAdminView>('/api/v1/counter/merchants', { method: 'POST', body }),
    onSuccess: () => {
      setValues(EMPTY);
      setMissing(false);
      onRegistered();
    },
  });
  const set = (name: keyof typeof EMPTY) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [name]: event.target.value }));
  const required = (value: string) => (missing && !value.trim() ? t('merchants.required') : undefined);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!values.name.trim() || !values.settlementAccountNumber.trim() || !values.publicKeyPem.trim()) {
      setMissing(true);
      return;
    }
    register.mutate({
      name: values.name.trim(),
      settlementAccountNumber: values.settlementAccountNumber.trim(),
      publicKeyPem: values.publicKeyPem,
      signType: 'RSA2',
      ...(values.notifyUrlPrefix.trim() ? { notifyUrlPrefix: values.notifyUrlPrefix.trim() } : {}),
    });
  }

  return (
    <form className="c-opform" onSubmit={submit} noValidate data-testid="merchant-register">
      <h3 className="c-subtitle">{t('merchants.register')}</h3>
      {register.isSuccess && (
        <Alert tone="success" testId="merchant-registered">
          {t('merchants.registered', { appId: register.data.appId })}
        </Alert>
      )}
      {register.isError && <ProblemAlert staff error={register.error} testId="merchant-register-error" />}
      <div className="c-opform__fields">
        <TextField
          label={t('merchants.name')}
          value={values.name}
          onChange={set('name')}
          maxLength={100}
          required
          autoFocus
          error={required(values.name)}
          testId="merchant-name"
        />
        <TextField
          label={t('merchants.settlement')}
          value={values.settlementAccountNumber}
          onChange={set('settlementAccountNumber')}
          inputMode="numeric"
          maxLength={32}
          required
          error={required(values.settlementAccountNumber)}
          testId="merchant-settlement"
        />
        <FieldFrame
          label={t('merchants.publicKey')}
          hint={t('merchants.publicKeyHint')}
          required
          error={required(values.publicKeyPem)}
        >
          {(control) => (
            <textarea
              {...control}
              value={values.publicKeyPem}
              onChange={set('publicKeyPem')}
              rows={6}
              maxLength={10_000}
              spellCheck={false}
              data-testid="merchant-public-key"
            />
          )}
        </FieldFrame>
        <TextField
          label={t('merchants.notifyPrefix')}
          value={values.notifyUrlPrefix}
          onChange={set('notifyUrlPrefix')}
          maxLength={500}
          placeholder="https://shop.example.com/"
          testId="merchant-notify-prefix"
        />
        <TextField label={t('merchants.signType')} value="RSA2" readOnly testId="merchant-sign-type" />
      </div>
      <div className="c-actions">
        <Button type="submit" size="sm" busy={register.isPending} data-testid="merchant-submit">
          {t('merchants.submit')} <kbd>Enter</kbd>
        </Button>
      </div>
    </form>
  );
}

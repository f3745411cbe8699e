import './keyMessages';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { CodeField } from '../ui/CodeField';
import { KeyIcon } from '../ui/icons';
import { ProblemAlert } from '../ui/ProblemAlert';
import { fetchStaffKeys, isWebAuthnCancel, registerStaffKey, removeStaffKey, staffKeysQuery } from './staffKeysApi';
import { formatCounterTime } from './time';

/** "My security keys": the signed-in staff member registers, sees and removes their USB security key. */
export function StaffKeysPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('counterKeys');
  const client = useQueryClient();
  const keys = useQuery({ queryKey: staffKeysQuery, queryFn: fetchStaffKeys });
  const refresh = () => client.invalidateQueries({ queryKey: staffKeysQuery });
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);
  const register = useMutation({
    mutationFn: registerStaffKey,
    onSettled: () => {
      // A code is good once: whatever happened, the next try needs the next one.
      setCode('');
      // Returned, so the mutation settles (and "registered" shows) only once the list has the new key.
      return refresh();
    },
  });
  const remove = useMutation({ mutationFn: removeStaffKey, onSettled: refresh });
  const items = keys.data?.items ?? [];
  const error = register.error ?? remove.error ?? keys.error;
  const canRegister = items.length === 0 && keys.isSuccess;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setMissing(true);
      return;
    }
    setMissing(false);
    register.mutate(code);
  };

  return (
    <section className="c-panel" aria-labelledby="c-keys-title" data-testid="staff-keys-panel">
      <h2 id="c-keys-title" className="c-panel__title">
        {t('panel.title')}
      </h2>
      <p className="c-muted">{t('panel.lead')}</p>
      {items.length === 0 && keys.isSuccess && (
        <p className="c-muted" data-testid="staff-keys-none">
          {t('panel.none')}
        </p>
      )}
      {items.length > 0 && (
        <table className="c-table" data-testid="staff-keys-list">
          <thead>
            <tr>
              <th scope="col">{t('key')}</th>
              <th scope="col">{t('panel.addedAt')}</th>
              <th scope="col">{t('panel.statusLabel')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('panel.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((key) => (
              <tr key={key.id} data-testid="staff-key-row">
                <td>
                  <KeyIcon size={16} /> {t('key')}
                </td>
                <td className="tabular">{formatCounterTime(key.createdAt)}</td>
                <td>{t(`panel.status.${key.status}`)}</td>
                <td>
                  <Button
                    variant="ghost"
                    size="sm"
                    busy={remove.isPending}
                    onClick={() => {
                      if (window.confirm(t('panel.removeConfirm'))) remove.mutate(key.id);
                    }}
                    data-testid="staff-key-remove"
                  >
                    {t('panel.remove')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {register.isPending && <Alert tone="info">{t('panel.registering')}</Alert>}
      {register.isSuccess && (
        <Alert tone="success" testId="staff-key-registered">
          {t('panel.registered')}
        </Alert>
      )}
      {remove.isSuccess && <Alert tone="success">{t('panel.removed')}</Alert>}
      {error &&
        (isWebAuthnCancel(error) ? (
          <Alert tone="warning">{t('panel.cancelled')}</Alert>
        ) : (
          <ProblemAlert staff error={error} testId="staff-keys-error" />
        ))}
      <form onSubmit={submit} noValidate>
        {canRegister && (
          <CodeField
            label={t('panel.code')}
            hint={t('panel.codeHint')}
            value={code}
            onChange={setCode}
            digitsOnly
            oneTimeCode
            pattern="\d{6}"
            maxLength={6}
            required
            error={missing && !/^\d{6}$/.test(code) ? t('panel.codeMissing') : undefined}
            testId="staff-key-code"
          />
        )}
        <div className="c-actions">
          {canRegister && (
            <Button type="submit" busy={register.isPending} data-testid="staff-key-register">
              {t('panel.register')}
            </Button>
          )}
          <Button type="button" variant="secondary" onClick={onClose} data-testid="staff-keys-close">
            {t('panel.close')}
          </Button>
        </div>
      </form>
    </section>
  );
}

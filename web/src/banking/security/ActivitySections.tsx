import { type QueryKey, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import { Button } from '../../ui/Button';
import { ErrorIcon, SuccessIcon } from '../../ui/icons';
import { placeName } from '../../ui/place';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { Spinner } from '../../ui/Spinner';
import type { DeviceRow, LoginRow, SessionRow } from '../bankingApi';
import { formatDateTime } from '../format';
import '../card-table.css';

/** A list from the security centre with a per-row removal (sessions, trusted devices). */
function useRemovableList<T extends { id: string }>(path: string, queryKey: QueryKey) {
  const client = useQueryClient();
  const list = useQuery({ queryKey, queryFn: () => api<{ items: T[] }>(path) });
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`${path}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey }),
  });
  return { list, remove };
}

/** Signed-in sessions, each but the current one with an end button. */
export function SessionsSection() {
  const { t, i18n } = useTranslation('banking');
  const { list, remove } = useRemovableList<SessionRow>('/api/v1/security/sessions', queryKeys.security.sessions);
  return (
    <section className="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title" className="section-title">
        {t('security.sessions.title')}
      </h2>
      {list.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
      {list.isError && <ProblemAlert error={list.error} />}
      {remove.isError && <ProblemAlert error={remove.error} testId="session-revoke-error" />}
      {list.data && (
        <div className="table-wrap">
          <table className="data-table data-table--cards">
            <thead>
              <tr>
                <th scope="col">{t('security.sessions.device')}</th>
                <th scope="col">{t('security.channel')}</th>
                <th scope="col">{t('security.ip')}</th>
                <th scope="col">{t('security.sessions.since')}</th>
                <th scope="col">{t('security.sessions.lastSeen')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('security.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.length === 0 && (
                <tr>
                  <td colSpan={6} className="data-table__empty">
                    {t('security.sessions.empty')}
                  </td>
                </tr>
              )}
              {list.data.items.map((row) => (
                <tr key={row.id} data-testid="session-row">
                  <td data-label={t('security.sessions.device')} title={row.userAgent ?? undefined}>
                    <span data-testid="session-device">{row.device}</span>
                    <span data-testid="session-place">{` · ${placeName(row.place, i18n.language)}`}</span>
                    {row.current && (
                      <span className="badge badge--active badge--inline">{t('security.sessions.current')}</span>
                    )}
                  </td>
                  <td data-label={t('security.channel')}>
                    {t(`channels.${row.channel}`, { defaultValue: row.channel })}
                  </td>
                  <td data-label={t('security.ip')} className="tabular">
                    {row.ip ?? '—'}
                  </td>
                  <td data-label={t('security.sessions.since')} className="tabular nowrap">
                    {formatDateTime(row.createdAt)}
                  </td>
                  <td data-label={t('security.sessions.lastSeen')} className="tabular nowrap">
                    {formatDateTime(row.lastSeenAt)}
                  </td>
                  <td className="data-table__actions">
                    {!row.current && (
                      <Button
                        variant="quiet"
                        size="sm"
                        busy={remove.isPending && remove.variables === row.id}
                        onClick={() => remove.mutate(row.id)}
                        data-testid="session-revoke"
                      >
                        {t('security.sessions.revoke')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Devices the customer has signed in from; removing one means its next sign-in needs a code. */
export function DevicesSection() {
  const { t, i18n } = useTranslation('banking');
  const { list, remove } = useRemovableList<DeviceRow>('/api/v1/security/devices', queryKeys.security.devices);
  return (
    <section className="panel" aria-labelledby="devices-title">
      <h2 id="devices-title" className="section-title">
        {t('security.devices.title')}
      </h2>
      <p className="section-lead">{t('security.devices.lead')}</p>
      {list.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
      {list.isError && <ProblemAlert error={list.error} />}
      {remove.isError && <ProblemAlert error={remove.error} testId="device-remove-error" />}
      {list.data && list.data.items.length === 0 && <p>{t('security.devices.empty')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="device-list">
          {list.data.items.map((row) => (
            <li key={row.id} className="device-list__item" data-testid="device-row">
              <div>
                <p className="device-list__name">
                  {row.label || row.id}
                  <span data-testid="device-place">{` · ${placeName(row.lastPlace, i18n.language)}`}</span>
                  {row.lastIp && <span className="device-list__ip tabular">{` · ${row.lastIp}`}</span>}
                </p>
                <p className="device-list__meta tabular">
                  {t('security.devices.added', { at: formatDateTime(row.firstSeenAt) || '—' })}
                  {` · ${t('security.devices.used', { at: formatDateTime(row.lastSeenAt) })}`}
                </p>
              </div>
              <Button
                variant="secondary"
                size="sm"
                busy={remove.isPending && remove.variables === row.id}
                onClick={() => remove.mutate(row.id)}
                data-testid="device-remove"
              >
                {t('security.devices.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The recent sign-ins: time, channel, device, address and result. */
export function LoginHistorySection() {
  const { t, i18n } = useTranslation('banking');
  const logins = useQuery({
    queryKey: queryKeys.security.logins,
    queryFn: () => api<{ items: LoginRow[] }>('/api/v1/security/logins'),
  });
  return (
    <section className="panel" aria-labelledby="logins-title">
      <h2 id="logins-title" className="section-title">
        {t('security.logins.title')}
      </h2>
      {logins.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
      {logins.isError && <ProblemAlert error={logins.error} />}
      {logins.data && (
        <div className="table-wrap">
          <table className="data-table data-table--cards">
            <thead>
              <tr>
                <th scope="col">{t('security.logins.at')}</th>
                <th scope="col">{t('security.channel')}</th>
                <th scope="col">{t('security.logins.device')}</th>
                <th scope="col">{t('security.ip')}</th>
                <th scope="col">{t('security.logins.result')}</th>
              </tr>
            </thead>
            <tbody>
              {logins.data.items.length === 0 && (
                <tr>
                  <td colSpan={5} className="data-table__empty">
                    {t('security.logins.empty')}
                  </td>
                </tr>
              )}
              {logins.data.items.map((row) => {
                const ok = row.result === 'success';
                return (
                  <tr key={`${row.at}|${row.channel}|${row.ip}|${row.result}`} data-testid="login-row">
                    <td data-label={t('security.logins.at')} className="tabular nowrap">
                      {formatDateTime(row.at)}
                    </td>
                    <td data-label={t('security.channel')}>
                      {t(`channels.${row.channel}`, { defaultValue: row.channel })}
                    </td>
                    <td data-label={t('security.logins.device')}>{row.device || '—'}</td>
                    <td data-label={t('security.ip')} className="tabular">
                      {row.ip ?? '—'}
                      <span className="login-place">{` · ${placeName(row.place, i18n.language)}`}</span>
                    </td>
                    <td data-label={t('security.logins.result')}>
                      <span className={ok ? 'login-result login-result--ok' : 'login-result login-result--fail'}>
                        {ok ? <SuccessIcon size={14} /> : <ErrorIcon size={14} />}
                        {t(`security.logins.results.${row.result}`, { defaultValue: row.result })}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

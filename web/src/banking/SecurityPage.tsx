import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useRefreshSession, useSession } from '../api/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ErrorIcon, SuccessIcon } from '../ui/icons';
import { PasswordField } from '../ui/PasswordField';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { TextField } from '../ui/TextField';
import type { DeviceRow, LoginRow, SessionRow } from './bankingApi';
import { formatDateTime } from './format';

/** `/security`: password, login name, reserved message, sessions, trusted devices and login history. */
export function SecurityPage() {
  const { t } = useTranslation('banking');
  useDocumentTitle(`${t('security.title')} · ${t('brand.name', { ns: 'common' })}`);
  return (
    <>
      <h1 className="app-page__title">{t('security.title')}</h1>
      <div className="security-grid">
        <PasswordSection />
        <div className="security-grid__side">
          <LoginNameSection />
          <ReservedMessageSection />
        </div>
      </div>
      <SessionsSection />
      <DevicesSection />
      <LoginHistorySection />
    </>
  );
}

/** The password rules (API.md, "Registration and passwords"), checked live as the customer types. */
export function passwordChecks(password: string) {
  return {
    length: password.length >= 6 && password.length <= 30,
    letters: /[A-Za-z]/.test(password),
    digits: /\d/.test(password),
  };
}

function PasswordSection() {
  const { t } = useTranslation('banking');
  const refreshSession = useRefreshSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ current?: string; next?: string; repeat?: string }>({});
  const mutation = useMutation({
    mutationFn: () =>
      api<unknown>('/api/v1/security/password', {
        method: 'POST',
        body: { currentPassword: current, newPassword: next },
      }),
    onSuccess: async () => {
      setCurrent('');
      setNext('');
      setRepeat('');
      // The server may rotate the session after a password change: pick up the new CSRF token.
      await refreshSession().catch(() => undefined);
    },
  });
  const checks = passwordChecks(next);
  const policyOk = checks.length && checks.letters && checks.digits;

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: typeof errors = {};
    if (!current) found.current = t('security.password.currentMissing');
    if (!policyOk) found.next = t('security.password.policy');
    else if (next === current) found.next = t('security.password.same');
    if (repeat !== next) found.repeat = t('security.password.mismatch');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    mutation.mutate();
  }

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title" className="section-title">
        {t('security.password.title')}
      </h2>
      <form onSubmit={submit} noValidate className="stack">
        <PasswordField
          label={t('security.password.current')}
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
          error={errors.current}
          autoComplete="current-password"
          maxLength={30}
          required
          testId="password-current"
        />
        <PasswordField
          label={t('security.password.new')}
          value={next}
          onChange={(event) => setNext(event.target.value)}
          error={errors.next}
          autoComplete="new-password"
          maxLength={30}
          required
          testId="password-new"
          hint={
            <ul className="policy" data-testid="password-policy">
              {(['length', 'letters', 'digits'] as const).map((rule) => (
                <li key={rule} className={checks[rule] ? 'policy__ok' : 'policy__todo'}>
                  {checks[rule] ? <SuccessIcon size={14} /> : <ErrorIcon size={14} />}
                  <span className="visually-hidden">
                    {checks[rule] ? t('security.password.met') : t('security.password.unmet')}:{' '}
                  </span>
                  {t(`security.password.rules.${rule}`)}
                </li>
              ))}
            </ul>
          }
        />
        <PasswordField
          label={t('security.password.repeat')}
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
          error={errors.repeat}
          autoComplete="new-password"
          maxLength={30}
          required
          testId="password-repeat"
        />
        {mutation.isError && <ProblemAlert error={mutation.error} testId="password-error" />}
        {mutation.isSuccess && (
          <Alert tone="success" testId="password-changed">
            {t('security.password.done')}
          </Alert>
        )}
        <div>
          <Button type="submit" busy={mutation.isPending} data-testid="password-submit">
            {t('security.password.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function LoginNameSection() {
  const { t } = useTranslation('banking');
  const session = useSession();
  const refreshSession = useRefreshSession();
  const saved = session.data?.customer?.loginName;
  const [loginName, setLoginName] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (typeof saved === 'string') setLoginName(saved);
  }, [saved]);
  // A new login name is confirmed with an SMS code: the first PUT sends it, the second carries it.
  const [challengeId, setChallengeId] = useState<string>();
  const [code, setCode] = useState('');
  const mutation = useMutation({
    mutationFn: (value: string) =>
      api<{ status: string; challengeId?: string }>('/api/v1/security/login-name', {
        method: 'PUT',
        body: {
          loginName: value,
          ...(challengeId ? { authorization: { method: 'sms', challengeId, response: code.trim() } } : {}),
        },
      }),
    onSuccess: (answer) => {
      if (answer.status === 'authorization_required' && answer.challengeId) {
        setChallengeId(answer.challengeId);
        return;
      }
      setChallengeId(undefined);
      setCode('');
      refreshSession().catch(() => undefined);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = loginName.trim();
    // Letters first, then letters, digits or underscores; never all digits (it would look like a card).
    if (!/^[A-Za-z][A-Za-z0-9_]{5,14}$/.test(value)) {
      setError(t('security.loginName.invalid'));
      return;
    }
    setError(undefined);
    mutation.mutate(value);
  }

  return (
    <section className="panel" aria-labelledby="login-name-title">
      <h2 id="login-name-title" className="section-title">
        {t('security.loginName.title')}
      </h2>
      <form onSubmit={submit} noValidate className="stack">
        <TextField
          label={t('security.loginName.label')}
          value={loginName}
          onChange={(event) => {
            setLoginName(event.target.value);
            setChallengeId(undefined);
          }}
          error={error}
          hint={t('security.loginName.hint')}
          autoComplete="username"
          maxLength={15}
          testId="login-name"
        />
        {challengeId && (
          <TextField
            label={t('security.loginName.code')}
            value={code}
            onChange={(event) => setCode(event.target.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            testId="login-name-code"
          />
        )}
        {mutation.isError && <ProblemAlert error={mutation.error} testId="login-name-error" />}
        {mutation.isSuccess && !challengeId && <Alert tone="success">{t('security.loginName.done')}</Alert>}
        <div>
          <Button type="submit" variant="secondary" busy={mutation.isPending} data-testid="login-name-submit">
            {challengeId ? t('security.loginName.confirm') : t('security.save')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function ReservedMessageSection() {
  const { t } = useTranslation('banking');
  const session = useSession();
  const refreshSession = useRefreshSession();
  const saved = session.data?.customer?.reservedMessage;
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (typeof saved === 'string') setMessage(saved);
  }, [saved]);
  const mutation = useMutation({
    mutationFn: (value: string) =>
      api<unknown>('/api/v1/security/reserved-message', { method: 'PUT', body: { message: value } }),
    onSuccess: () => refreshSession().catch(() => undefined),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = message.trim();
    if (value.length < 1 || [...value].length > 20) {
      setError(t('security.reserved.invalid'));
      return;
    }
    setError(undefined);
    mutation.mutate(value);
  }

  return (
    <section className="panel" aria-labelledby="reserved-form-title" id="reserved">
      <h2 id="reserved-form-title" className="section-title">
        {t('security.reserved.title')}
      </h2>
      <form onSubmit={submit} noValidate className="stack">
        <TextField
          label={t('security.reserved.label')}
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          error={error}
          hint={t('security.reserved.hint')}
          maxLength={20}
          autoComplete="off"
          testId="reserved-message-input"
        />
        {mutation.isError && <ProblemAlert error={mutation.error} testId="reserved-error" />}
        {mutation.isSuccess && <Alert tone="success">{t('security.reserved.done')}</Alert>}
        <div>
          <Button type="submit" variant="secondary" busy={mutation.isPending} data-testid="reserved-submit">
            {t('security.save')}
          </Button>
        </div>
      </form>
    </section>
  );
}

/** A list from the security centre with a per-row removal (sessions, trusted devices). */
function useRemovableList<T extends { id: string }>(path: string) {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['security', path], queryFn: () => api<{ items: T[] }>(path) });
  const remove = useMutation({
    mutationFn: (id: string) => api<unknown>(`${path}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['security', path] }),
  });
  return { list, remove };
}

function SessionsSection() {
  const { t } = useTranslation('banking');
  const { list, remove } = useRemovableList<SessionRow>('/api/v1/security/sessions');
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
          <table className="data-table">
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
                  <td>
                    {row.device ?? row.userAgent ?? '—'}
                    {row.current && (
                      <span className="badge badge--active badge--inline">{t('security.sessions.current')}</span>
                    )}
                  </td>
                  <td>{row.channel ? t(`channels.${row.channel}`, { defaultValue: row.channel }) : '—'}</td>
                  <td className="tabular">{row.ip ?? '—'}</td>
                  <td className="tabular nowrap">{formatDateTime(row.createdAt)}</td>
                  <td className="tabular nowrap">{formatDateTime(row.lastSeenAt)}</td>
                  <td>
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

function DevicesSection() {
  const { t } = useTranslation('banking');
  const { list, remove } = useRemovableList<DeviceRow>('/api/v1/security/devices');
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
                <p className="device-list__name">{row.label ?? row.name ?? row.device ?? row.kind ?? row.id}</p>
                <p className="device-list__meta tabular">
                  {t('security.devices.added', { at: formatDateTime(row.createdAt) || '—' })}
                  {(row.lastSeenAt ?? row.lastUsedAt) &&
                    ` · ${t('security.devices.used', { at: formatDateTime(row.lastSeenAt ?? row.lastUsedAt ?? '') })}`}
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

function LoginHistorySection() {
  const { t } = useTranslation('banking');
  const logins = useQuery({
    queryKey: ['security', 'logins'],
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
          <table className="data-table">
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
                const ok = row.result === 'success' || row.result === 'succeeded' || row.result === 'ok';
                return (
                  <tr key={row.id ?? `${row.at}|${row.channel}|${row.ip}|${row.result}`} data-testid="login-row">
                    <td className="tabular nowrap">{formatDateTime(row.at)}</td>
                    <td>{t(`channels.${row.channel}`, { defaultValue: row.channel })}</td>
                    <td>{row.device ?? '—'}</td>
                    <td className="tabular">{row.ip ?? '—'}</td>
                    <td>
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

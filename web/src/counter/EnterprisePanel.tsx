import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CounterEnterpriseDetail, CounterEnterpriseList } from '../../../server/src/corporate/schema.ts';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Money } from '../ui/Money';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { counterApi } from './counterApi';

const enterpriseKeys = {
  search: (q: string) => ['counter', 'enterprises', q],
  detail: (id: string) => ['counter', 'enterprise', id],
} as const;

/**
 * Enterprises a search finds by enterprise code, unified social credit code or name, listed under the
 * customers it found; nothing when none matches (most searches are for persons).
 */
export function EnterpriseHits({ query, onSelect }: { query: string; onSelect: (id: string) => void }) {
  const { t } = useTranslation('counter');
  const search = useQuery({
    queryKey: enterpriseKeys.search(query),
    queryFn: () => counterApi<CounterEnterpriseList>(`/api/v1/counter/enterprises?q=${encodeURIComponent(query)}`),
    staleTime: 0,
  });
  const items = search.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="c-enterprises-title" data-testid="enterprise-results">
      <h3 id="c-enterprises-title" className="c-subtitle">
        {t('enterprise.found', { count: items.length })}
      </h3>
      <table className="c-table">
        <thead>
          <tr>
            <th scope="col">{t('enterprise.name')}</th>
            <th scope="col">{t('enterprise.code')}</th>
            <th scope="col">{t('enterprise.uscc')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('search.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((hit) => (
            <tr key={hit.id} data-testid="enterprise-hit">
              <td>{hit.name}</td>
              <td className="tabular">{hit.code}</td>
              <td className="tabular">{hit.unifiedSocialCreditCode}</td>
              <td>
                <button type="button" className="c-link" onClick={() => onSelect(hit.id)}>
                  {t('search.open')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** One enterprise: identity, accounts with balances, operators with their locks and the unlock action. */
export function EnterprisePage({ enterpriseId }: { enterpriseId: string }) {
  const { t } = useTranslation('counter');
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: enterpriseKeys.detail(enterpriseId),
    queryFn: () => counterApi<CounterEnterpriseDetail>(`/api/v1/counter/enterprises/${enterpriseId}`),
  });
  const unlock = useMutation({
    mutationFn: (operatorId: string) =>
      counterApi(`/api/v1/counter/enterprises/${enterpriseId}/operators/${operatorId}/unlock`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: enterpriseKeys.detail(enterpriseId) }),
  });
  if (detail.isPending) return <Spinner size={20} />;
  if (detail.isError) return <ProblemAlert staff error={detail.error} testId="enterprise-error" />;
  const e = detail.data;
  return (
    <div data-testid="enterprise-page">
      <h3 className="c-subtitle">
        {e.name} · {t(`enterprise.status.${e.status}`)}
      </h3>
      <dl className="c-facts">
        <dt>{t('enterprise.code')}</dt>
        <dd className="tabular">{e.code}</dd>
        <dt>{t('enterprise.uscc')}</dt>
        <dd className="tabular">{e.unifiedSocialCreditCode}</dd>
        <dt>{t('enterprise.dailyLimit')}</dt>
        <dd>
          <Money value={e.dailyLimit} />
        </dd>
      </dl>
      <table className="c-table">
        <caption>{t('enterprise.accounts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('enterprise.account')}</th>
            <th scope="col">{t('shell.status')}</th>
            <th scope="col">{t('enterprise.balance')}</th>
          </tr>
        </thead>
        <tbody>
          {e.accounts.map((a) => (
            <tr key={a.id}>
              <td className="tabular">{a.number}</td>
              <td>{a.status}</td>
              <td>
                <Money value={a.balance} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {unlock.isError ? <ProblemAlert staff error={unlock.error} testId="enterprise-unlock-error" /> : null}
      {unlock.isSuccess ? (
        <Alert tone="success" testId="enterprise-unlocked">
          {t('enterprise.unlocked')}
        </Alert>
      ) : null}
      <table className="c-table">
        <caption>{t('enterprise.operators')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('enterprise.operatorCode')}</th>
            <th scope="col">{t('enterprise.name')}</th>
            <th scope="col">{t('enterprise.role')}</th>
            <th scope="col">{t('shell.status')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('enterprise.unlock')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {e.operators.map((o) => (
            <tr key={o.id} data-testid="enterprise-operator">
              <td className="tabular">{o.code}</td>
              <td>{o.name}</td>
              <td>{t(`enterprise.roles.${o.role}`)}</td>
              <td>
                {o.status === 'disabled' ? t('enterprise.disabled') : t('enterprise.active')}
                {o.locked ? ` · ${t('enterprise.locked')}` : ''}
              </td>
              <td>
                {o.locked ? (
                  <Button
                    size="sm"
                    busy={unlock.isPending}
                    onClick={() => unlock.mutate(o.id)}
                    data-testid="enterprise-unlock"
                  >
                    {t('enterprise.unlock')}
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

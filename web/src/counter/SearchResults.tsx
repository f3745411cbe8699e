import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../ui/Alert';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { type CustomerHit, counterApi, counterKeys } from './counterApi';
import { StatusBadge } from './StatusBadge';

type Props = { query: string; onSelect: (id: string) => void };

/**
 * The customers a search finds by ID number, card, account or mobile. One match opens at once; several are
 * listed with the first focused, so Enter takes it and Tab moves down the list.
 */
export function SearchResults({ query, onSelect }: Props) {
  const { t } = useTranslation('counter');
  const search = useQuery({
    queryKey: counterKeys.search(query),
    queryFn: () => counterApi<{ items: CustomerHit[] }>(`/api/v1/counter/customers?q=${encodeURIComponent(query)}`),
    staleTime: 0,
  });
  const items = search.data?.items;
  const only = items?.length === 1 ? items[0] : undefined;
  useEffect(() => {
    if (only) onSelect(only.id);
  }, [only, onSelect]);

  if (search.isPending) return <Spinner size={20} label={t('shell.searching')} />;
  if (search.isError) return <ProblemAlert staff error={search.error} testId="search-error" />;
  if (!items || items.length === 0) {
    return (
      <Alert tone="info" testId="search-none">
        {t('search.none', { query })}
      </Alert>
    );
  }
  if (only) return <Spinner size={20} />;
  return (
    <section aria-labelledby="c-results-title" data-testid="search-results">
      <h3 id="c-results-title" className="c-subtitle">
        {t('search.count', { count: items.length })}
      </h3>
      <table className="c-table">
        <thead>
          <tr>
            <th scope="col">{t('search.name')}</th>
            <th scope="col">{t('search.idNumber')}</th>
            <th scope="col">{t('search.mobile')}</th>
            <th scope="col">{t('shell.status')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('search.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((hit, index) => (
            <tr key={hit.id} data-testid="search-hit">
              <td>{hit.name}</td>
              <td className="tabular">{hit.idNumberMasked}</td>
              <td className="tabular">{hit.mobile}</td>
              <td>
                <StatusBadge status={hit.status} group="customerStatus" />
              </td>
              <td>
                {/* biome-ignore lint/a11y/noAutofocus: the teller's next key goes to the first match */}
                <button type="button" className="c-link" autoFocus={index === 0} onClick={() => onSelect(hit.id)}>
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

import './messages';
import './accounts.css';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, useParams } from 'react-router';
import { api } from '../api/client';
import { useSession } from '../api/session';
import { ComingSoon, PageLoading } from '../app/PageStates';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { maskCardNumber } from '../ui/cardNumber';
import { ShieldIcon } from '../ui/icons';
import { Money } from '../ui/Money';
import type { Money as MoneyValue } from '../ui/money';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';

type Account = {
  id: string;
  number: string;
  type: string;
  status: string;
  balance: MoneyValue;
  available: MoneyValue;
};

/**
 * The first page after login (a placeholder for the accounts issue): the reserved message in its own
 * panel, then the customer's accounts with balances.
 */
export function AccountsPage() {
  const { t } = useTranslation('accounts');
  const session = useSession();
  const section = useParams()['*'] ?? '';
  const accounts = useQuery({
    queryKey: ['accounts'],
    queryFn: () => api<{ items: Account[] }>('/api/v1/accounts'),
    enabled: session.data?.authenticated === true && section === '',
  });
  useDocumentTitle(`${t('title')} · ${t('brand.name', { ns: 'common' })}`);

  if (session.isPending) return <PageLoading />;
  if (!session.data?.authenticated) return <Navigate to="/" replace />;

  const reserved = session.data.customer?.reservedMessage;
  return (
    <div className="app-page">
      <nav className="app-nav" aria-label={t('nav.label')}>
        <div className="app-nav__inner">
          <NavLink to="/accounts" end className="app-nav__link">
            {t('nav.overview')}
          </NavLink>
          <NavLink to="/accounts/transfer" className="app-nav__link">
            {t('nav.transfer')}
          </NavLink>
          <NavLink to="/accounts/payees" className="app-nav__link">
            {t('nav.payees')}
          </NavLink>
          <NavLink to="/accounts/statements" className="app-nav__link">
            {t('nav.statements')}
          </NavLink>
          <NavLink to="/accounts/security" className="app-nav__link">
            {t('nav.security')}
          </NavLink>
        </div>
      </nav>
      {section !== '' ? (
        <ComingSoon />
      ) : (
        <div className="app-page__body">
          <h1 className="app-page__title">{t('title')}</h1>
          <section className="reserved" aria-labelledby="reserved-title" data-testid="reserved-message">
            <ShieldIcon size={22} className="reserved__icon" />
            <div>
              <h2 id="reserved-title" className="reserved__label">
                {t('reserved')}
              </h2>
              {reserved ? <p className="reserved__text">“{reserved}”</p> : <p>{t('reservedMissing')}</p>}
              <p className="reserved__hint">{t('reservedHint')}</p>
            </div>
          </section>

          <section aria-labelledby="accounts-title" className="accounts">
            <h2 id="accounts-title" className="accounts__title">
              {t('accounts')}
            </h2>
            {accounts.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
            {accounts.isError && <ProblemAlert error={accounts.error} testId="accounts-error" />}
            {accounts.data && (
              <table className="accounts__table">
                <thead>
                  <tr>
                    <th scope="col">{t('number')}</th>
                    <th scope="col">{t('type')}</th>
                    <th scope="col">{t('status')}</th>
                    <th scope="col" className="num">
                      {t('balance')}
                    </th>
                    <th scope="col" className="num">
                      {t('available')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {accounts.data.items.length === 0 && (
                    <tr>
                      <td colSpan={5}>{t('empty')}</td>
                    </tr>
                  )}
                  {accounts.data.items.map((account) => (
                    <tr key={account.id} data-testid="account-row">
                      <td className="tabular accounts__number">{maskCardNumber(account.number)}</td>
                      <td>{t(`types.${account.type}`, { defaultValue: account.type })}</td>
                      <td>
                        <span className={`badge badge--${account.status}`}>
                          {t(`statuses.${account.status}`, { defaultValue: account.status })}
                        </span>
                      </td>
                      <td className="num">
                        <Money value={account.balance} />
                      </td>
                      <td className="num">
                        <Money value={account.available} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      )}
    </div>
  );
}

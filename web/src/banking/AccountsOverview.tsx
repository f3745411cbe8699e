import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { queryKeys } from '../api/queryKeys';
import { useSession } from '../api/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { formatMoney as fenToAmount } from '../../../server/src/platform/money.ts';
import { formatBankDateTime } from '../ui/bankTime';
import { maskCardNumber } from '../ui/cardNumber';
import { ShieldIcon } from '../ui/icons';
import { Money } from '../ui/Money';
import { placeName } from '../ui/place';
import { toFen } from '../ui/money';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { BalanceChart } from './BalanceChart';
import { type Account, getAccounts, getBalanceHistory } from './bankingApi';

/** The reserved message (预留信息) in its own panel, so that a customer can tell a real Jinku from a fake. */
export function ReservedMessage({
  testId = 'reserved-message',
  compact = false,
}: {
  testId?: string;
  compact?: boolean;
}) {
  const { t } = useTranslation('banking');
  const session = useSession();
  const reserved = session.data?.customer?.reservedMessage;
  return (
    <section
      className={compact ? 'reserved reserved--compact' : 'reserved'}
      aria-labelledby={`${testId}-title`}
      data-testid={testId}
    >
      <ShieldIcon size={22} className="reserved__icon" />
      <div>
        <h2 id={`${testId}-title`} className="reserved__label">
          {t('reserved.label')}
        </h2>
        {reserved ? (
          <p className="reserved__text">“{reserved}”</p>
        ) : (
          <p>
            {t('reserved.missing')} <Link to="/security#reserved">{t('reserved.set')}</Link>
          </p>
        )}
        {!compact && <p className="reserved__hint">{t('reserved.hint')}</p>}
      </div>
    </section>
  );
}

/** `/accounts`: the reserved message, then one card per account with its balances and 90-day chart. */
export function AccountsOverview() {
  const { t } = useTranslation('banking');
  const accounts = useQuery({ queryKey: queryKeys.accounts, queryFn: getAccounts });
  useDocumentTitle(`${t('overview.title')} · ${t('brand.name', { ns: 'common' })}`);

  return (
    <>
      <h1 className="app-page__title">{t('overview.title')}</h1>
      <OverviewFacts accounts={accounts.data?.items} />
      <ReservedMessage />
      <section aria-labelledby="accounts-title" className="accounts">
        <h2 id="accounts-title" className="section-title">
          {t('overview.accounts')}
        </h2>
        {accounts.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
        {accounts.isError && <ProblemAlert error={accounts.error} testId="accounts-error" />}
        {accounts.data && accounts.data.items.length === 0 && <p>{t('overview.empty')}</p>}
        {accounts.data && (
          <ul className="account-cards">
            {accounts.data.items.map((account) => (
              <AccountCard key={account.id} account={account} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/**
 * Total assets across the accounts (summed in integer fen) and when the customer last signed in, in
 * Beijing time: a sign-in the customer does not remember is the first sign of a stolen password.
 */
function OverviewFacts({ accounts }: { accounts: Account[] | undefined }) {
  const { t, i18n } = useTranslation('banking');
  const session = useSession();
  const lastLoginAt = session.data?.customer?.lastLoginAt;
  // Where the address of that sign-in is ("北京", "内网"): a place the customer was not is the warning.
  const lastLoginPlace = placeName(session.data?.customer?.lastLoginPlace, i18n.language);
  const totalFen = accounts?.reduce((sum, account) => sum + (toFen(account.balance.amount) ?? 0), 0);
  return (
    <dl className="overview-facts">
      {totalFen !== undefined && (
        <div>
          <dt>{t('overview.totalAssets')}</dt>
          <dd data-testid="total-assets">
            <Money value={{ amount: fenToAmount(totalFen), currency: 'CNY' }} size="lg" />
          </dd>
        </div>
      )}
      <div>
        <dt>{t('overview.lastLogin')}</dt>
        <dd className="tabular" data-testid="last-login">
          {lastLoginAt ? (
            <>
              <time dateTime={lastLoginAt} title={t('overview.lastLoginZone')} data-testid="last-login-time">
                {formatBankDateTime(lastLoginAt)}
              </time>
              {lastLoginPlace && <span data-testid="last-login-place">{` ${lastLoginPlace}`}</span>}
            </>
          ) : (
            t('overview.firstLogin')
          )}
        </dd>
      </div>
    </dl>
  );
}

function AccountCard({ account }: { account: Account }) {
  const { t } = useTranslation('banking');
  const history = useQuery({
    queryKey: queryKeys.balanceHistory.of(account.id, 90),
    queryFn: () => getBalanceHistory(account.id, 90),
  });
  const titleId = `account-${account.id}`;
  return (
    <li className="account-card" data-testid="account-row">
      <div className="account-card__head">
        <div>
          <p className="account-card__type">{t(`types.${account.type}`, { defaultValue: account.type })}</p>
          <h3 id={titleId} className="account-card__number tabular" data-testid="account-number">
            {maskCardNumber(account.number)}
          </h3>
        </div>
        <span className={`badge badge--${account.status}`} data-testid="account-status">
          {t(`statuses.${account.status}`, { defaultValue: account.status })}
        </span>
      </div>
      <dl className="account-card__balances">
        <div>
          <dt>{t('overview.balance')}</dt>
          <dd data-testid="account-balance">
            <Money value={account.balance} size="xl" />
          </dd>
        </div>
        <div>
          <dt>{t('overview.available')}</dt>
          <dd data-testid="account-available">
            <Money value={account.available} size="lg" />
          </dd>
        </div>
      </dl>
      <div className="account-card__chart">
        <p className="account-card__chart-title" data-testid="chart-title">
          {history.data && history.data.items[0]?.date === history.data.openedOn
            ? t('overview.chartSinceOpened', { date: history.data.openedOn })
            : t('overview.chartTitle')}
        </p>
        {history.isPending && <div className="chart chart--placeholder" aria-hidden="true" />}
        {history.isError && <p className="chart__empty">{t('overview.chartFailed')}</p>}
        {history.data && <BalanceChart points={history.data.items} />}
      </div>
      <div className="account-card__actions">
        <Link className="btn btn--secondary btn--sm" to={`/accounts/${encodeURIComponent(account.id)}/history`}>
          <span className="btn__label">{t('overview.history')}</span>
        </Link>
        {account.status === 'active' && (
          <Link className="btn btn--ghost btn--sm" to="/transfer" state={{ prefill: { fromAccountId: account.id } }}>
            <span className="btn__label">{t('overview.transfer')}</span>
          </Link>
        )}
      </div>
    </li>
  );
}

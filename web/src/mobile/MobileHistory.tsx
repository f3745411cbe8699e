import '../banking/messages';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { queryKeys } from '../api/queryKeys';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { getAccounts, getTransactions } from '../banking/bankingApi';
import { formatDateTime } from '../banking/format';
import { Button } from '../ui/Button';
import { cardTail } from '../ui/cardNumber';
import { ChevronRightIcon } from '../ui/icons';
import { Money } from '../ui/Money';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';

/** An account's history on the phone: the newest entries first as cards, more on request (the web's API). */
export function MobileHistory() {
  const { t } = useTranslation('mobile');
  const accountId = useParams().id ?? '';
  const accounts = useQuery({ queryKey: queryKeys.accounts, queryFn: getAccounts });
  const account = accounts.data?.items.find((a) => a.id === accountId);
  const history = useInfiniteQuery({
    queryKey: queryKeys.transactions.of(accountId, '', ''),
    queryFn: ({ pageParam }) => getTransactions(accountId, { cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  useDocumentTitle(`${t('history.title')} · ${t('appName')}`);
  const items = history.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="m-page" data-testid="m-history">
      <p className="m-page__back">
        <Link to="/m/">
          <ChevronRightIcon size={18} className="m-flip" /> {t('tabs.home')}
        </Link>
      </p>
      <h1 className="m-page__title">
        {t('history.title')}
        {account && <span className="m-page__sub tabular"> · {cardTail(account.number)}</span>}
      </h1>
      {account && (
        <p className="m-history__balance">
          {t('history.available')} <Money value={account.available} />
        </p>
      )}
      {history.isError && <ProblemAlert error={history.error} />}
      {history.isPending && <Spinner />}
      {history.isSuccess && items.length === 0 && <p className="m-empty">{t('history.empty')}</p>}
      <ul className="m-cards">
        {items.map((entry) => (
          <li key={entry.id} className="m-card" data-testid="m-history-entry">
            <div className="m-card__row">
              <span className="m-card__title">{entry.counterparty ?? t('history.noCounterparty')}</span>
              <Money value={entry.amount} sign="always" tone />
            </div>
            {entry.memo && <p className="m-card__text">{entry.memo}</p>}
            <div className="m-card__row m-card__meta">
              <time dateTime={entry.postedAt}>{formatDateTime(entry.postedAt)}</time>
              <span>
                {t('history.balanceAfter')} <Money value={entry.balanceAfter} size="sm" />
              </span>
            </div>
          </li>
        ))}
      </ul>
      {history.hasNextPage && (
        <Button
          variant="secondary"
          block
          busy={history.isFetchingNextPage}
          onClick={() => history.fetchNextPage()}
          data-testid="m-history-more"
        >
          {t('history.more')}
        </Button>
      )}
    </div>
  );
}

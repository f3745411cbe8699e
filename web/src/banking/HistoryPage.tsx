import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { queryKeys } from '../api/queryKeys';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Button } from '../ui/Button';
import { maskCardNumber } from '../ui/cardNumber';
import { Money } from '../ui/Money';
import { isNegative } from '../ui/money';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { TextField } from '../ui/TextField';
import { getAccounts, getTransactions, type Posting, statementUrl } from './bankingApi';
import { formatDateTime } from './format';
import './card-table.css';
import type { TransferPrefill } from './transfer/useTransferForm';

/** `/accounts/:id/history`: postings between two dates, newest first, paged with the cursor. */
export function HistoryPage() {
  const { t } = useTranslation('banking');
  const navigate = useNavigate();
  const accountId = useParams().id ?? '';
  const [draft, setDraft] = useState({ from: '', to: '' });
  const [filter, setFilter] = useState({ from: '', to: '' });
  const [filterError, setFilterError] = useState<string>();
  const accounts = useQuery({ queryKey: queryKeys.accounts, queryFn: getAccounts });
  const account = accounts.data?.items.find((item) => item.id === accountId);
  const postings = useInfiniteQuery({
    queryKey: queryKeys.transactions.of(accountId, filter.from, filter.to),
    queryFn: ({ pageParam }) => getTransactions(accountId, { ...filter, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: accountId !== '',
  });
  useDocumentTitle(`${t('history.title')} · ${t('brand.name', { ns: 'common' })}`);

  function apply(event: FormEvent) {
    event.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setFilterError(t('history.rangeInvalid'));
      return;
    }
    setFilterError(undefined);
    setFilter(draft);
  }

  /**
   * "Transfer again" from a debit: the form starts from its amount and memo. The history names the other
   * party only masked (`张* ****1234`), which no payee check would accept, so a masked name is not copied.
   */
  function transferAgain(posting: Posting) {
    const counterparty = posting.counterparty;
    const prefill: TransferPrefill = {
      fromAccountId: accountId,
      payeeName: counterparty && !counterparty.includes('*') ? counterparty : undefined,
      amount: posting.amount.amount.replace(/^[-+\u2212]/, ''),
      memo: posting.memo || undefined,
    };
    navigate('/transfer', { state: { prefill } });
  }

  const rows = postings.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <p className="breadcrumb">
        <Link to="/accounts">{t('overview.title')}</Link> / {t('history.title')}
      </p>
      <h1 className="app-page__title">
        {t('history.title')}
        {account && <span className="app-page__subtitle tabular"> {maskCardNumber(account.number)}</span>}
      </h1>

      <form className="filters" onSubmit={apply} aria-label={t('history.filters')} noValidate>
        <TextField
          type="date"
          label={t('history.from')}
          value={draft.from}
          max={draft.to || undefined}
          onChange={(event) => setDraft({ ...draft, from: event.target.value })}
          testId="history-from"
          error={filterError}
        />
        <TextField
          type="date"
          label={t('history.to')}
          value={draft.to}
          min={draft.from || undefined}
          onChange={(event) => setDraft({ ...draft, to: event.target.value })}
          testId="history-to"
        />
        <Button type="submit" variant="secondary" data-testid="history-apply">
          {t('history.apply')}
        </Button>
        <div className="filters__exports">
          <a
            className="btn btn--ghost btn--sm"
            href={statementUrl(accountId, 'csv', filter.from, filter.to)}
            download
            data-testid="export-csv"
          >
            <span className="btn__label">{t('history.exportCsv')}</span>
          </a>
          <a
            className="btn btn--ghost btn--sm"
            href={statementUrl(accountId, 'pdf', filter.from, filter.to)}
            download
            data-testid="export-pdf"
          >
            <span className="btn__label">{t('history.exportPdf')}</span>
          </a>
        </div>
      </form>

      {postings.isError && <ProblemAlert error={postings.error} testId="history-error" />}
      <div className="table-wrap">
        <table className="data-table data-table--cards">
          <caption className="visually-hidden">{t('history.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('history.postedAt')}</th>
              <th scope="col">{t('history.memo')}</th>
              <th scope="col">{t('history.counterparty')}</th>
              <th scope="col" className="num">
                {t('history.amount')}
              </th>
              <th scope="col" className="num">
                {t('history.balanceAfter')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('history.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {postings.isPending && (
              <tr>
                <td colSpan={6}>
                  <Spinner label={t('common.loading', { ns: 'common' })} />
                </td>
              </tr>
            )}
            {postings.isSuccess && rows.length === 0 && (
              <tr>
                <td colSpan={6} className="data-table__empty">
                  {t('history.empty')}
                </td>
              </tr>
            )}
            {rows.map((posting) => {
              const debit = isNegative(posting.amount.amount);
              const name = posting.counterparty ?? '';
              return (
                <tr key={posting.id} data-testid="history-row">
                  <td data-label={t('history.postedAt')} className="tabular nowrap">
                    {formatDateTime(posting.postedAt)}
                  </td>
                  <td data-label={t('history.memo')} className="data-table__text">
                    {posting.memo}
                  </td>
                  <td data-label={t('history.counterparty')} className="data-table__text">
                    {name}
                  </td>
                  <td data-label={t('history.amount')} className="num">
                    <span className="visually-hidden">{debit ? t('history.debit') : t('history.credit')} </span>
                    <Money value={posting.amount} sign="always" tone />
                  </td>
                  <td data-label={t('history.balanceAfter')} className="num">
                    <Money value={posting.balanceAfter} />
                  </td>
                  <td className="data-table__actions">
                    {debit && name && (
                      <Button
                        variant="quiet"
                        size="sm"
                        onClick={() => transferAgain(posting)}
                        data-testid="transfer-again"
                        aria-label={t('history.transferAgainTo', { name })}
                      >
                        {t('history.transferAgain')}
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {postings.hasNextPage && (
        <div className="load-more">
          <Button
            variant="secondary"
            onClick={() => void postings.fetchNextPage()}
            busy={postings.isFetchingNextPage}
            data-testid="history-load-more"
          >
            {t('history.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}

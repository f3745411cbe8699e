import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { queryKeys } from '../api/queryKeys';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Button } from '../ui/Button';
import { maskCardNumber } from '../ui/cardNumber';
import { Money } from '../ui/Money';
import { formatBankDate } from '../ui/bankTime';
import { formatMoney, isNegative } from '../ui/money';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Spinner } from '../ui/Spinner';
import { TextField } from '../ui/TextField';
import { getAccounts, getTransactions, type Posting, statementUrl } from './bankingApi';
import { formatDateTime } from './format';
import { HistoryDetail } from './HistoryDetail';
import { QUICK_RANGES, type QuickRange, rangeDates } from './historyRanges';
import './card-table.css';
import type { TransferPrefill } from './transfer/useTransferForm';

type Direction = '' | 'in' | 'out';
type Filter = { range: QuickRange; from: string; to: string; direction: Direction; q: string };
const NO_FILTER: Filter = { range: 'all', from: '', to: '', direction: '', q: '' };

/**
 * `/accounts/:id/history`: postings newest first, paged with the cursor. Quick ranges (7 days, this
 * month, 3 months) and income / expenses apply at once; custom dates and a keyword (counterparty or
 * memo) on "search". Every filter is the server's (direction, q), so paging stays exact. Each entry
 * opens its detail, with its receipt where it was a transfer the customer paid.
 */
export function HistoryPage() {
  const { t } = useTranslation('banking');
  const navigate = useNavigate();
  const accountId = useParams().id ?? '';
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [draft, setDraft] = useState({ from: '', to: '', q: '' });
  const [filterError, setFilterError] = useState<string>();
  const [open, setOpen] = useState<Posting>();
  const accounts = useQuery({ queryKey: queryKeys.accounts, queryFn: getAccounts });
  const account = accounts.data?.items.find((item) => item.id === accountId);
  const postings = useInfiniteQuery({
    queryKey: queryKeys.transactions.of(accountId, filter.from, filter.to, filter.direction, filter.q),
    queryFn: ({ pageParam }) => getTransactions(accountId, { ...filter, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: accountId !== '',
  });
  useDocumentTitle(`${t('history.title')} · ${t('brand.name', { ns: 'common' })}`);

  function chooseRange(range: QuickRange) {
    setFilterError(undefined);
    if (range === 'custom') {
      setFilter({ ...filter, range });
      return;
    }
    const dates = rangeDates(range, formatBankDate(new Date().toISOString())) ?? { from: '', to: '' };
    setDraft({ ...draft, ...dates });
    setFilter({ ...filter, range, ...dates });
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    if (filter.range === 'custom' && draft.from && draft.to && draft.from > draft.to) {
      setFilterError(t('history.rangeInvalid'));
      return;
    }
    setFilterError(undefined);
    const dates = filter.range === 'custom' ? { from: draft.from, to: draft.to } : {};
    setFilter({ ...filter, ...dates, q: draft.q.trim() });
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

  const filtered = filter.range !== 'all' || filter.direction !== '' || filter.q !== '';
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
        <Choice
          name="range"
          legend={t('history.range')}
          options={QUICK_RANGES.map((range) => ({ value: range, label: t(`history.ranges.${range}`) }))}
          value={filter.range}
          onChange={(range) => chooseRange(range as QuickRange)}
        />
        <Choice
          name="direction"
          legend={t('history.direction')}
          options={[
            { value: '', label: t('history.directions.all') },
            { value: 'in', label: t('history.directions.in') },
            { value: 'out', label: t('history.directions.out') },
          ]}
          value={filter.direction}
          onChange={(direction) => setFilter({ ...filter, direction: direction as Direction })}
        />
        {filter.range === 'custom' && (
          <>
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
          </>
        )}
        <TextField
          type="search"
          label={t('history.keyword')}
          placeholder={t('history.keywordHint')}
          value={draft.q}
          maxLength={50}
          onChange={(event) => setDraft({ ...draft, q: event.target.value })}
          testId="history-keyword"
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
      {filter.from && filter.to && (
        <p className="filters__period tabular" data-testid="history-period">
          {t('history.showing', { from: filter.from, to: filter.to })}
        </p>
      )}

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
                  {filtered ? t('history.filteredEmpty') : t('history.empty')}
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
                    <Button
                      variant="quiet"
                      size="sm"
                      onClick={() => setOpen(posting)}
                      data-testid="history-details"
                      aria-label={t('history.detailsOf', {
                        time: formatDateTime(posting.postedAt),
                        amount: formatMoney(posting.amount, { sign: 'always' }),
                      })}
                    >
                      {t('history.details')}
                    </Button>
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
      <HistoryDetail posting={open} onClose={() => setOpen(undefined)} />
    </>
  );
}

/** A row of choices that apply at once: radio buttons drawn as a segmented control, named by a legend. */
function Choice({
  name,
  legend,
  options,
  value,
  onChange,
}: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <fieldset className="segmented" data-testid={`history-${name}`}>
      <legend className="segmented__legend">{legend}</legend>
      <div className="segmented__options">
        {options.map((option) => (
          <label key={option.value} className="segmented__option">
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              data-testid={`history-${name}-${option.value || 'all'}`}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

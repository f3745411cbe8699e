import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { BellIcon, SearchIcon, UserIcon } from '../ui/icons';
import { CounterHeader } from './CounterHeader';
import type { Staff } from './staffSession';

type Props = { staff: Staff; onSignOut: () => Promise<void> };

const OPERATIONS = [
  'register',
  'openAccount',
  'cash',
  'ebanking',
  'passwordReset',
  'unlock',
  'media',
  'freeze',
  'close',
] as const;
type Operation = (typeof OPERATIONS)[number];

/** True when a key press belongs to a field the teller is typing in. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

function useClock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/**
 * The teller's working screen: customer search always on top (`/` focuses it), the operations menu
 * (Alt+1…9), and panels for the current customer, today's business, approvals and the cash drawer.
 */
export function CounterShell({ staff, onSignOut }: Props) {
  const { t, i18n } = useTranslation('counter');
  const searchRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState<string>();
  const [operation, setOperation] = useState<Operation>();
  const now = useClock();
  useDocumentTitle(t('system'));

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key === '/' && !isTyping(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (event.altKey && /^[1-9]$/.test(event.key)) {
        event.preventDefault();
        setOperation(OPERATIONS[Number(event.key) - 1]);
      } else if (event.key === 'Escape') {
        if (document.activeElement === searchRef.current) searchRef.current?.blur();
        else setOperation(undefined);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  function search(event: FormEvent) {
    event.preventDefault();
    if (query.trim()) setSearched(query.trim());
  }

  const time = now.toLocaleTimeString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
    hour: '2-digit',
    minute: '2-digit',
  });
  const date = now.toLocaleDateString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });

  return (
    <div className="c-shell">
      <CounterHeader>
        <span className="c-header__who">
          {staff.branch && (
            <span>
              {t('shell.branch')} <strong className="tabular">{staff.branch}</strong>
            </span>
          )}
          <span>
            {t('shell.teller')} <strong>{staff.name ?? staff.username}</strong>
            {staff.role && (
              <span className="c-header__role">{t(`roles.${staff.role}`, { defaultValue: staff.role })}</span>
            )}
          </span>
        </span>
        <button type="button" className="c-approvals" data-testid="approvals-badge">
          <BellIcon size={16} />
          {t('shell.approvals')}
          <span className="c-approvals__count tabular">0</span>
        </button>
        <span className="c-header__clock tabular">
          <span>{date}</span> <strong>{time}</strong>
        </span>
        <Button
          variant="quiet"
          size="sm"
          className="c-header__signout"
          onClick={() => void onSignOut()}
          data-testid="counter-signout"
        >
          {t('shell.signOut')}
        </Button>
      </CounterHeader>

      <search className="c-search">
        <form className="c-search__form" onSubmit={search}>
          <label htmlFor="customer-search" className="c-search__label">
            <SearchIcon size={18} />
            {t('shell.searchLabel')}
          </label>
          <input
            ref={searchRef}
            id="customer-search"
            className="c-search__input"
            placeholder={t('shell.searchPlaceholder')}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-keyshortcuts="/"
            aria-describedby="customer-search-hint"
            data-testid="customer-search"
          />
          <span id="customer-search-hint" className="c-search__hint">
            <kbd>/</kbd> {t('shell.searchHint')}
          </span>
          <Button type="submit" size="sm">
            {t('shell.search')}
          </Button>
        </form>
      </search>

      <div className="c-body">
        <nav className="c-ops" aria-label={t('shell.operations')}>
          <h2 className="c-panel__title">{t('shell.operations')}</h2>
          <ul>
            {OPERATIONS.map((op, index) => (
              <li key={op}>
                <button
                  type="button"
                  className={op === operation ? 'c-ops__item c-ops__item--active' : 'c-ops__item'}
                  aria-current={op === operation ? 'true' : undefined}
                  aria-keyshortcuts={`Alt+${index + 1}`}
                  onClick={() => setOperation(op)}
                >
                  <span>{t(`ops.${op}`)}</span>
                  <kbd>Alt {index + 1}</kbd>
                </button>
              </li>
            ))}
          </ul>
        </nav>

        <main className="c-main" id="main">
          <section className="c-panel c-customer" aria-labelledby="c-customer-title">
            <h2 id="c-customer-title" className="c-panel__title">
              {t('shell.currentCustomer')}
            </h2>
            {searched ? (
              <Alert tone="info">{t('shell.searchPending', { query: searched })}</Alert>
            ) : (
              <p className="c-empty">
                <UserIcon size={28} />
                <span>{t('shell.noCustomer')}</span>
              </p>
            )}
          </section>

          {operation && (
            <section className="c-panel" aria-labelledby="c-op-title">
              <h2 id="c-op-title" className="c-panel__title">
                {t(`ops.${operation}`)}
              </h2>
              <Alert tone="info">{t('common.comingSoonBody', { ns: 'common' })}</Alert>
            </section>
          )}

          <div className="c-grid">
            <section className="c-panel" aria-labelledby="c-today-title">
              <h2 id="c-today-title" className="c-panel__title">
                {t('shell.today')}
              </h2>
              <table className="c-table">
                <thead>
                  <tr>
                    <th scope="col">{t('shell.time')}</th>
                    <th scope="col">{t('shell.business')}</th>
                    <th scope="col" className="num">
                      {t('shell.amount')}
                    </th>
                    <th scope="col">{t('shell.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td colSpan={4} className="c-table__empty">
                      {t('shell.todayEmpty')}
                    </td>
                  </tr>
                </tbody>
              </table>
            </section>
            <section className="c-panel" aria-labelledby="c-approvals-title">
              <h2 id="c-approvals-title" className="c-panel__title">
                {t('shell.approvalsPanel')}
              </h2>
              <p className="c-muted">{t('shell.approvalsEmpty')}</p>
            </section>
            <section className="c-panel" aria-labelledby="c-cash-title">
              <h2 id="c-cash-title" className="c-panel__title">
                {t('shell.cash')}
              </h2>
              <p className="c-muted">{t('shell.cashBody')}</p>
            </section>
          </div>
        </main>
      </div>

      <footer className="c-keys">
        <span className="visually-hidden">{t('shell.keys')}:</span>
        <span>
          <kbd>/</kbd> {t('shell.keySearch')}
        </span>
        <span>
          <kbd>Enter</kbd> {t('shell.keySubmit')}
        </span>
        <span>
          <kbd>Esc</kbd> {t('shell.keyCancel')}
        </span>
        <span>
          <kbd>Alt</kbd>+<kbd>1…9</kbd> {t('shell.operations')}
        </span>
      </footer>
    </div>
  );
}

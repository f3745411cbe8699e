import { type FormEvent, type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Button } from '../ui/Button';
import { BellIcon, SearchIcon, UserIcon } from '../ui/icons';
import { ApprovalsInbox } from './ApprovalsInbox';
import { usePendingApprovals } from './approvalsApi';
import { CounterHeader } from './CounterHeader';
import { CustomerPage, useCustomer } from './CustomerPage';
import { EnterpriseHits, EnterprisePage } from './EnterprisePanel';
import { MerchantsAdmin } from './MerchantsAdmin';
import type { Staff } from './counterApi';
import { ShiftJournal } from './ShiftJournal';
import { StaffKeysPanel } from './StaffKeysPanel';
import { SearchResults } from './SearchResults';
import { type JournalEntry, OperationPanel } from './operations/OperationPanel';
import { needsCustomer, OPERATIONS, type Operation, operationForKey, operationKey } from './operations/specs';
import type { Values } from './operations/types';

type Props = { staff: Staff; onSignOut: () => void };

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

type OpenOperation = { operation: Operation; preset: Values; nonce: number };

/** The keys of the whole console: `/` search, Alt+1…0 operations, Alt+A approvals, Alt+M merchants (admins), Esc back. */
function useConsoleKeys(
  searchRef: RefObject<HTMLInputElement | null>,
  openOperation: (operation: Operation) => void,
  openApprovals: () => void,
  back: () => void,
  openMerchants: (() => void) | undefined,
) {
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key === '/' && !isTyping(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        // event.code, not event.key: Alt+digit types other characters on some layouts.
        const digit = /^Digit(\d)$/.exec(event.code)?.[1];
        const operation = digit === undefined ? undefined : operationForKey(digit);
        if (operation) {
          event.preventDefault();
          openOperation(operation);
        } else if (event.code === 'KeyA') {
          event.preventDefault();
          openApprovals();
        } else if (event.code === 'KeyM' && openMerchants) {
          event.preventDefault();
          openMerchants();
        }
        return;
      }
      if (event.key === 'Escape') {
        if (document.activeElement === searchRef.current) searchRef.current?.blur();
        else back();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [searchRef, openOperation, openApprovals, back, openMerchants]);
}

/**
 * The teller's working screen: customer search always on top (`/` focuses it), the operations menu
 * (Alt+1…0), the operation in progress, the current customer, the approvals inbox (Alt+A) and the
 * shift's journal.
 */
export function CounterShell({ staff, onSignOut }: Props) {
  const { t, i18n } = useTranslation('counter');
  const searchRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState<string>();
  const [customerId, setCustomerId] = useState<string>();
  const [enterpriseId, setEnterpriseId] = useState<string>();
  const [showApprovals, setShowApprovals] = useState(false);
  const [showMerchants, setShowMerchants] = useState(false);
  const [showKeys, setShowKeys] = useState(false);
  const [open, setOpen] = useState<OpenOperation>();
  const [journal, setJournal] = useState<JournalEntry[]>([]);
  const customer = useCustomer(customerId);
  const approvals = usePendingApprovals();
  const now = useClock();
  useDocumentTitle(t('system'));

  const openOperation = useCallback((operation: Operation, preset: Values = {}) => {
    setShowApprovals(false);
    setShowMerchants(false);
    setOpen((current) => ({ operation, preset, nonce: (current?.nonce ?? 0) + 1 }));
  }, []);
  const openApprovals = useCallback(() => {
    setOpen(undefined);
    setShowMerchants(false);
    setShowApprovals(true);
  }, []);
  const isAdmin = staff.role === 'admin';
  const openMerchants = useCallback(() => {
    setOpen(undefined);
    setShowApprovals(false);
    setShowMerchants(true);
  }, []);
  const openRef = useRef(open);
  openRef.current = open;
  const back = useCallback(() => {
    if (openRef.current) setOpen(undefined);
    else {
      setShowApprovals(false);
      setShowMerchants(false);
    }
  }, []);
  const selectCustomer = useCallback((id: string) => {
    setSearched(undefined);
    setEnterpriseId(undefined);
    setCustomerId(id);
  }, []);
  const selectEnterprise = useCallback((id: string) => {
    setSearched(undefined);
    setCustomerId(undefined);
    setEnterpriseId(id);
  }, []);
  useConsoleKeys(searchRef, openOperation, openApprovals, back, isAdmin ? openMerchants : undefined);

  function search(event: FormEvent) {
    event.preventDefault();
    const q = query.trim();
    if (!q) return;
    setOpen(undefined);
    setShowApprovals(false);
    setCustomerId(undefined);
    setEnterpriseId(undefined);
    setSearched(q);
  }

  const language = i18n.language === 'en' ? 'en-GB' : 'zh-CN';
  const time = now.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
  const date = now.toLocaleDateString(language, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'Asia/Shanghai',
  });
  const pending = approvals.data?.items.length ?? 0;
  const currentCustomer = customer.data;
  const operationReady = open && (!needsCustomer(open.operation) || currentCustomer);

  return (
    <div className="c-shell">
      <CounterHeader>
        <span className="c-header__who">
          <span>
            {t('shell.branch')} <strong className="tabular">{staff.branch}</strong>
          </span>
          <span>
            {t('shell.teller')} <strong data-testid="counter-staff-name">{staff.name}</strong>
            <span className="c-header__role">{t(`roles.${staff.role}`, { defaultValue: staff.role })}</span>
          </span>
        </span>
        <button
          type="button"
          className={pending > 0 ? 'c-approvals c-approvals--pending' : 'c-approvals'}
          onClick={openApprovals}
          aria-keyshortcuts="Alt+A"
          title={t('shell.approvalsKey')}
          data-testid="approvals-badge"
        >
          <BellIcon size={16} />
          {t('shell.approvals')}
          <span className="c-approvals__count tabular" data-testid="approvals-count">
            {pending}
          </span>
        </button>
        {isAdmin && (
          <Button
            variant="quiet"
            size="sm"
            onClick={openMerchants}
            aria-keyshortcuts="Alt+M"
            data-testid="merchants-open"
          >
            {t('merchants.open')} <kbd>Alt M</kbd>
          </Button>
        )}
        <span className="c-header__clock tabular">
          <span>{date}</span> <strong>{time}</strong>
        </span>
        <Button
          variant="quiet"
          size="sm"
          onClick={() => setShowKeys((shown) => !shown)}
          aria-expanded={showKeys}
          data-testid="staff-keys-open"
        >
          {t('panel.open', { ns: 'counterKeys' })}
        </Button>
        <Button
          variant="quiet"
          size="sm"
          className="c-header__signout"
          onClick={onSignOut}
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
          <Button type="submit" size="sm" data-testid="customer-search-submit">
            {t('shell.search')}
          </Button>
        </form>
      </search>

      <div className="c-body">
        <nav className="c-ops" aria-label={t('shell.operations')}>
          <h2 className="c-panel__title">{t('shell.operations')}</h2>
          <ul>
            {OPERATIONS.map((operation, index) => (
              <li key={operation}>
                <button
                  type="button"
                  className={operation === open?.operation ? 'c-ops__item c-ops__item--active' : 'c-ops__item'}
                  aria-current={operation === open?.operation ? 'true' : undefined}
                  aria-keyshortcuts={`Alt+${operationKey(index)}`}
                  disabled={needsCustomer(operation) && !currentCustomer}
                  onClick={() => openOperation(operation)}
                  data-testid={`menu-${operation}`}
                >
                  <span>{t(`ops.${operation}`)}</span>
                  <kbd>Alt {operationKey(index)}</kbd>
                </button>
              </li>
            ))}
          </ul>
        </nav>

        <main className="c-main" id="main">
          {showKeys && <StaffKeysPanel onClose={() => setShowKeys(false)} />}
          {open && (
            <section className="c-panel c-panel--op" aria-labelledby="c-op-title" data-testid="op-panel">
              <h2 id="c-op-title" className="c-panel__title">
                {t(`ops.${open.operation}`)}
                {currentCustomer && needsCustomer(open.operation) && (
                  <span className="c-panel__for"> · {currentCustomer.name}</span>
                )}
              </h2>
              {operationReady ? (
                <OperationPanel
                  key={`${open.operation}-${open.nonce}`}
                  operation={open.operation}
                  customer={currentCustomer}
                  preset={open.preset}
                  onClose={() => setOpen(undefined)}
                  onOpenCustomer={selectCustomer}
                  onRecorded={(entry) => setJournal((entries) => [entry, ...entries].slice(0, 50))}
                />
              ) : (
                <p className="c-muted" data-testid="op-needs-customer">
                  {t('shell.needsCustomer')}
                </p>
              )}
            </section>
          )}

          {showApprovals && (
            <section className="c-panel" aria-labelledby="c-approvals-title">
              <h2 id="c-approvals-title" className="c-panel__title">
                {t('approvals.title')}
              </h2>
              <ApprovalsInbox staff={staff} />
            </section>
          )}

          {showMerchants && isAdmin && (
            <section className="c-panel" aria-labelledby="c-merchants-title">
              <h2 id="c-merchants-title" className="c-panel__title">
                {t('merchants.title')}
              </h2>
              <MerchantsAdmin />
            </section>
          )}

          <section className="c-panel c-customer" aria-labelledby="c-customer-title">
            <h2 id="c-customer-title" className="c-panel__title">
              {searched ? t('search.results') : t('shell.currentCustomer')}
            </h2>
            {searched ? (
              <>
                <SearchResults query={searched} onSelect={selectCustomer} />
                <EnterpriseHits query={searched} onSelect={selectEnterprise} />
              </>
            ) : enterpriseId ? (
              <EnterprisePage enterpriseId={enterpriseId} />
            ) : customerId ? (
              <CustomerPage customerId={customerId} onOperation={openOperation} />
            ) : (
              <p className="c-empty">
                <UserIcon size={28} />
                <span>{t('shell.noCustomer')}</span>
              </p>
            )}
          </section>

          <ShiftJournal entries={journal} />
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
          <kbd>Alt</kbd>+<kbd>1…0</kbd> {t('shell.operations')}
        </span>
        <span>
          <kbd>Alt</kbd>+<kbd>A</kbd> {t('shell.keyApprovals')}
        </span>
        {isAdmin && (
          <span>
            <kbd>Alt</kbd>+<kbd>M</kbd> {t('merchants.key')}
          </span>
        )}
      </footer>
    </div>
  );
}

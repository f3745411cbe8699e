import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../ui/ProblemAlert';
import { groupCardNumber } from '../ui/cardNumber';
import { Money } from '../ui/Money';
import { Spinner } from '../ui/Spinner';
import {
  type CounterAccount,
  type CounterEvent,
  type CounterMedium,
  type CustomerDetail,
  counterApi,
  counterKeys,
  ebankingWord,
  openPdf,
  passwordCardUrl,
  receiptUrl,
} from './counterApi';
import type { Operation } from './operations/specs';
import type { Values } from './operations/types';
import { eventLabel } from './labels';
import { StatusBadge } from './StatusBadge';
import { formatCounterTime } from './time';

type OpenOperation = (operation: Operation, preset?: Values) => void;

/** The customer the counter works on, loaded once and refreshed after every operation. */
export function useCustomer(id: string | undefined) {
  return useQuery({
    queryKey: counterKeys.customer(id ?? ''),
    queryFn: () => counterApi<CustomerDetail>(`/api/v1/counter/customers/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id),
  });
}

function Identity({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation('counter');
  const ebanking = ebankingWord(customer.ebanking);
  return (
    <div className="c-identity">
      <p className="c-identity__name" data-testid="customer-name">
        {customer.name}
      </p>
      <dl className="c-identity__facts">
        <div>
          <dt>{t('customer.idNumber')}</dt>
          <dd className="tabular" data-testid="customer-id-number">
            {customer.idNumberMasked}
          </dd>
        </div>
        <div>
          <dt>{t('customer.mobile')}</dt>
          <dd className="tabular" data-testid="customer-mobile">
            {customer.mobile}
          </dd>
        </div>
        <div>
          <dt>{t('customer.status')}</dt>
          <dd>
            <StatusBadge status={customer.status} group="customerStatus" testId="customer-status" />
          </dd>
        </div>
        <div>
          <dt>{t('customer.ebanking')}</dt>
          <dd>
            <StatusBadge status={ebanking} group="ebankingStatus" testId="customer-ebanking" />
            {customer.ebanking.lockedUntil && (
              <span className="c-muted tabular"> {formatCounterTime(customer.ebanking.lockedUntil)}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('customer.ecommerce')}</dt>
          <dd data-testid="customer-ecommerce" data-on={customer.ecommerce ? 'true' : 'false'}>
            {customer.ecommerce ? t('customer.ecommerceOn') : t('customer.ecommerceOff')}
          </dd>
        </div>
        <div>
          <dt>{t('shell.branch')}</dt>
          <dd className="tabular">{customer.branch}</dd>
        </div>
      </dl>
    </div>
  );
}

function Accounts({ accounts, onOperation }: { accounts: CounterAccount[]; onOperation: OpenOperation }) {
  const { t } = useTranslation('counter');
  return (
    <section aria-labelledby="c-accounts-title">
      <h3 id="c-accounts-title" className="c-subtitle">
        {t('customer.accounts')}
      </h3>
      {accounts.length === 0 ? (
        <p className="c-muted">{t('customer.noAccounts')}</p>
      ) : (
        <table className="c-table">
          <thead>
            <tr>
              <th scope="col">{t('customer.number')}</th>
              <th scope="col">{t('customer.cardNumber')}</th>
              <th scope="col">{t('customer.type')}</th>
              <th scope="col">{t('shell.status')}</th>
              <th scope="col" className="num">
                {t('customer.balance')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('shell.operations')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((account) => (
              <tr key={account.id} data-testid="customer-account" data-account-id={account.id}>
                <td className="tabular" data-testid="customer-account-number">
                  {groupCardNumber(account.number)}
                </td>
                <td className="tabular">{account.cardNumber ? groupCardNumber(account.cardNumber) : ''}</td>
                <td>{t(`accountTypes.${account.kind}`, { defaultValue: account.kind })}</td>
                <td>
                  <StatusBadge status={account.status} group="accountStatus" />
                </td>
                <td className="num" data-testid="customer-account-balance">
                  <Money value={account.balance} />
                </td>
                <td className="c-table__actions">
                  {account.status !== 'closed' && (
                    <>
                      <button
                        type="button"
                        className="c-link"
                        onClick={() => onOperation('cash', { accountId: account.id })}
                        data-testid="account-cash"
                      >
                        {t('customer.cashFor')}
                      </button>
                      <button
                        type="button"
                        className="c-link"
                        onClick={() => onOperation('account', { accountId: account.id })}
                      >
                        {t('customer.freezeFor')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Whether a password card may still be printed: active, and no print recorded since it was issued (the
 * server prints each card once and refuses a second time; this only spares the teller that refusal).
 */
function printable(medium: CounterMedium, events: CounterEvent[]): boolean {
  if (medium.kind !== 'password_card' || medium.status !== 'active') return false;
  return !events.some((event) => event.kind === 'counter.media.card_print' && event.at >= medium.createdAt);
}

function Media({
  media,
  events,
  onOperation,
}: {
  media: CounterMedium[];
  events: CounterEvent[];
  onOperation: OpenOperation;
}) {
  const { t } = useTranslation('counter');
  return (
    <section aria-labelledby="c-media-title">
      <h3 id="c-media-title" className="c-subtitle">
        {t('customer.media')}
      </h3>
      {media.length === 0 ? (
        <p className="c-muted">{t('customer.noMedia')}</p>
      ) : (
        <ul className="c-media">
          {media.map((medium) => (
            <li key={medium.id} data-testid="customer-medium">
              <span>{t(`mediaKinds.${medium.kind}`, { defaultValue: medium.kind })}</span>
              {medium.serial && <span className="tabular c-muted">{medium.serial}</span>}
              <StatusBadge status={medium.status} group="mediaStatus" />
              {printable(medium, events) && (
                <button type="button" className="c-link" onClick={() => openPdf(passwordCardUrl(medium.id))}>
                  {t('customer.printCard')}
                </button>
              )}
              {['password_card', 'e_token', 'u_shield'].includes(medium.kind) &&
                !['revoked', 'expired'].includes(medium.status) && (
                  <button
                    type="button"
                    className="c-link"
                    onClick={() => onOperation('media', { action: 'revoke', mediumId: medium.id })}
                  >
                    {t('customer.revoke')}
                  </button>
                )}
              {medium.status === 'locked' && (
                <button
                  type="button"
                  className="c-link"
                  onClick={() => onOperation('media', { action: 'unlock', mediumId: medium.id })}
                >
                  {t('customer.unlockMedium')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Audit rows of an operation that has not (or not yet) taken effect: no receipt to sign for them. */
const WITHOUT_RECEIPT = new Set(['counter.approval_requested', 'counter.rejected']);

/** The operation an audit row belongs to, for its receipt. */
function operationOf(event: CounterEvent): string | undefined {
  const id = (event.details as { operationId?: unknown }).operationId;
  return typeof id === 'string' && event.kind.startsWith('counter.') && !WITHOUT_RECEIPT.has(event.kind)
    ? id
    : undefined;
}

function Events({ events }: { events: CounterEvent[] }) {
  const { t, i18n } = useTranslation('counter');
  return (
    <section aria-labelledby="c-events-title">
      <h3 id="c-events-title" className="c-subtitle">
        {t('customer.events')}
      </h3>
      {events.length === 0 ? (
        <p className="c-muted">{t('customer.noEvents')}</p>
      ) : (
        <table className="c-table c-table--compact">
          <thead>
            <tr>
              <th scope="col">{t('customer.eventTime')}</th>
              <th scope="col">{t('customer.eventAction')}</th>
              <th scope="col">{t('customer.eventStaff')}</th>
              <th scope="col">{t('shell.receipt')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => {
              const operationId = operationOf(event);
              return (
                <tr key={event.id} data-testid="customer-event" data-kind={event.kind}>
                  <td className="tabular">{formatCounterTime(event.at)}</td>
                  <td>{eventLabel(t, i18n, event.kind)}</td>
                  <td>{t(`actors.${event.actorType}`, { defaultValue: event.actorType })}</td>
                  <td>
                    {operationId && (
                      <button type="button" className="c-link" onClick={() => openPdf(receiptUrl(operationId))}>
                        {t('form.receipt')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The customer page: identity with status badges, accounts in full with balances, media, recent events. */
export function CustomerPage({ customerId, onOperation }: { customerId: string; onOperation: OpenOperation }) {
  const customer = useCustomer(customerId);
  if (customer.isPending) return <Spinner size={20} />;
  if (customer.isError) return <ProblemAlert staff error={customer.error} testId="customer-error" />;
  const detail = customer.data;
  return (
    <div className="c-customer-page" data-testid="customer-page" data-customer-id={detail.id}>
      <Identity customer={detail} />
      <Accounts accounts={detail.accounts} onOperation={onOperation} />
      <Media media={detail.media.items} events={detail.events} onOperation={onOperation} />
      <Events events={detail.events} />
    </div>
  );
}

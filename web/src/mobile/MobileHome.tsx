import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/ApiError';
import { queryKeys } from '../api/queryKeys';
import { customerName, useSession } from '../api/session';
import { getAccounts } from '../banking/bankingApi';
import { CARD_NOT_BOUND } from '../register/registrationApi';
import { cardTail } from '../ui/cardNumber';
import {
  BillIcon,
  CardIcon,
  ChevronRightIcon,
  EyeIcon,
  EyeOffIcon,
  QrIcon,
  ShieldIcon,
  TransferIcon,
  UserIcon,
} from '../ui/icons';
import { Money } from '../ui/Money';
import { formatAmount } from '../ui/money';
import { ProblemAlert } from '../ui/ProblemAlert';
import './registerMessages';

/** Adds decimal strings exactly, in fen as BigInt (money never passes through floating point). */
function sumAmounts(amounts: string[]): string {
  let fen = 0n;
  for (const amount of amounts) {
    const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
    const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
    fen += amount.startsWith('-') ? -value : value;
  }
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Home tab: balances hidden behind the eye toggle until asked for, and the common shortcuts. */
export function MobileHome() {
  const { t } = useTranslation('mobile');
  const session = useSession();
  const [shown, setShown] = useState(false);
  const accounts = useQuery({ queryKey: queryKeys.accounts, queryFn: getAccounts });
  const name = customerName(session.data);
  // A customer registered by mobile number sees no accounts until a card is bound (the server says so).
  const needsCard = accounts.error instanceof ApiError && accounts.error.code === CARD_NOT_BOUND;
  const cny = accounts.data?.items.filter((a) => a.balance.currency === 'CNY') ?? [];
  const total = sumAmounts(cny.map((a) => a.balance.amount));

  const shortcuts = [
    { to: '/m/transfer', label: t('home.transfer'), Icon: TransferIcon },
    { to: '/m/transfer', label: t('home.payees'), Icon: UserIcon },
    { to: '/m/bills', label: t('home.bills'), Icon: BillIcon },
    { to: '/m/me', label: t('home.cards'), Icon: CardIcon },
    { to: '/m/scan', label: t('home.scanLogin'), Icon: QrIcon },
    { to: '/m/me', label: t('home.security'), Icon: ShieldIcon },
  ];

  return (
    <div className="m-home">
      <section className="m-balance on-dark" aria-labelledby="m-total-label">
        <p className="m-balance__greeting">{name ? t('home.greeting', { name }) : t('home.greetingAnon')}</p>
        <div className="m-balance__row">
          <p id="m-total-label" className="m-balance__label">
            {t('home.totalAssets')}
          </p>
          <button
            type="button"
            className="m-balance__eye"
            aria-pressed={shown}
            aria-label={t('home.showBalance')}
            onClick={() => setShown((s) => !s)}
            data-testid="m-balance-toggle"
          >
            {shown ? <EyeIcon size={22} /> : <EyeOffIcon size={22} />}
          </button>
        </div>
        <p className="m-balance__amount tabular" data-testid="m-total">
          {shown ? (accounts.data ? formatAmount(total) : '—') : t('home.hidden')}
        </p>
      </section>

      <section className="m-section" aria-labelledby="m-quick">
        <h2 id="m-quick" className="m-section__title">
          {t('home.quick')}
        </h2>
        <ul className="m-grid">
          {shortcuts.map(({ to, label, Icon }) => (
            <li key={label}>
              <Link to={to} className="m-grid__item">
                <span className="m-grid__icon">
                  <Icon size={24} />
                </span>
                <span>{label}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section className="m-section" aria-labelledby="m-accounts">
        <h2 id="m-accounts" className="m-section__title">
          {t('home.accounts')}
        </h2>
        {accounts.isError && !needsCard && <ProblemAlert error={accounts.error} />}
        {(needsCard || accounts.data?.items.length === 0) && (
          <Link to="/m/bind-card" className="m-list__item m-list__item--action" data-testid="m-bind-card-link">
            <CardIcon size={24} className="m-list__icon" />
            <span className="m-list__main">
              <span className="m-list__title">{t('home.bindCard', { ns: 'mobileRegister' })}</span>
              <span className="m-list__sub">{t('home.noAccounts', { ns: 'mobileRegister' })}</span>
            </span>
            <ChevronRightIcon size={18} className="m-list__chevron" />
          </Link>
        )}
        <ul className="m-list">
          {accounts.data?.items.map((account) => (
            <li key={account.id}>
              <Link
                to={`/m/accounts/${encodeURIComponent(account.id)}`}
                className="m-list__item"
                data-testid="m-account"
              >
                <CardIcon size={24} className="m-list__icon" />
                <span className="m-list__main">
                  <span className="m-list__title">
                    {t(`types.${account.type}`, { ns: 'accounts', defaultValue: account.type })} ·{' '}
                    <span className="tabular">{cardTail(account.number)}</span>
                  </span>
                  <span className="m-list__sub">{shown ? <Money value={account.available} /> : t('home.hidden')}</span>
                </span>
                <ChevronRightIcon size={18} className="m-list__chevron" />
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../api/ApiError';
import { queryKeys } from '../api/queryKeys';
import { useLogout, useRefreshSession, useSession } from '../api/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { ReservedMessage } from '../banking/AccountsOverview';
import { type Account, type Authorization, getAccounts } from '../banking/bankingApi';
import '../banking/banking.css';
import '../banking/messages';
import { ChallengeStep } from '../banking/transfer/ChallengeStep';
import { AccountOption } from '../banking/transfer/parts';
import { ChallengeStep as LoginChallengeStep } from '../login/ChallengeStep';
import { ChangePasswordStep } from '../login/ChangePasswordStep';
import { CredentialsForm } from '../login/CredentialsForm';
import { LoginTabs } from '../login/LoginTabs';
import '../login/login.css';
import { QrLogin } from '../login/QrLogin';
import { useLoginFlow } from '../login/useLoginFlow';
import { Alert } from '../ui/Alert';
import { formatBankDateTime } from '../ui/bankTime';
import { Button } from '../ui/Button';
import { CardIcon, LockIcon, QrIcon } from '../ui/icons';
import { Money } from '../ui/Money';
import { toChineseCapitals } from '../ui/money';
import { ProblemAlert } from '../ui/ProblemAlert';
import { SelectField } from '../ui/SelectField';
import { Spinner } from '../ui/Spinner';
import {
  authorizeCheckout,
  type Checkout,
  checkoutKey,
  getCheckout,
  payCheckout,
  resendCheckoutChallenge,
} from './checkoutApi';
import './checkout.css';
import './messages';

type Step =
  | { kind: 'choose' }
  | { kind: 'authorize'; authorization: Authorization }
  | { kind: 'done'; returnUrl: string | undefined };

/**
 * `/pay/{tradeNo}`: the checkout a merchant's page sends the customer to (DESIGN.md, "Checkout"). The
 * merchant and the order first, the amount large in figures and capitals; sign-in, the reserved message,
 * the paying account and the medium's challenge on one calm page; and a clear way back to the shop.
 */
export function CheckoutPage() {
  const { t } = useTranslation('pay');
  const { tradeNo = '' } = useParams();
  const order = useQuery({ queryKey: checkoutKey(tradeNo), queryFn: () => getCheckout(tradeNo), retry: false });
  const session = useSession();
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  useDocumentTitle(t('title'));

  return (
    <div className="checkout">
      <h1 className="checkout__title">{t('title')}</h1>
      {order.isPending && <Spinner label={t('common.loading', { ns: 'common' })} />}
      {order.isError &&
        (order.error instanceof ApiError && order.error.status === 404 ? (
          <Alert tone="error" testId="checkout-not-found">
            {t('notFound')}
          </Alert>
        ) : (
          <ProblemAlert error={order.error} />
        ))}
      {order.data && (
        <>
          <OrderSummary order={order.data} />
          {step.kind === 'done' ? (
            <PaidResult merchant={order.data.merchant.name} returnUrl={step.returnUrl} />
          ) : order.data.status === 'TRADE_CLOSED' ? (
            <Alert tone="warning" testId="checkout-closed">
              <strong>{t('closedTitle')}</strong> {t('closedBody')}
            </Alert>
          ) : order.data.status !== 'WAIT_BUYER_PAY' ? (
            <Alert tone="info" testId="checkout-already-paid">
              {t('alreadyPaid')}
            </Alert>
          ) : !session.data ? (
            <Spinner label={t('common.loading', { ns: 'common' })} />
          ) : !session.data.authenticated ? (
            <SignIn />
          ) : step.kind === 'authorize' ? (
            <ChallengeStep
              payment={{ id: tradeNo, status: 'authorization_required', authorization: step.authorization }}
              authorization={step.authorization}
              summary={null}
              signs={{ payee: order.data.merchant.name, amount: order.data.amount }}
              authorize={async (method, answer) => ({
                id: tradeNo,
                ...(await authorizeCheckout(tradeNo, method, answer)),
              })}
              resend={async (method) => ({ id: tradeNo, ...(await resendCheckoutChallenge(tradeNo, method)) })}
              onAnswer={(answer) => {
                if (answer.status === 'completed') setStep({ kind: 'done', returnUrl: answer.returnUrl });
                else if (answer.authorization) setStep({ kind: 'authorize', authorization: answer.authorization });
              }}
              onCancel={() => setStep({ kind: 'choose' })}
              lead={(medium) => t('authorizeLead', { medium })}
            />
          ) : (
            <ChooseAccount
              tradeNo={tradeNo}
              onAnswer={(answer) => {
                if (answer.status === 'completed') setStep({ kind: 'done', returnUrl: answer.returnUrl });
                else if (answer.authorization) setStep({ kind: 'authorize', authorization: answer.authorization });
              }}
            />
          )}
        </>
      )}
      <p className="checkout__safety">
        <LockIcon size={16} /> {t('safety')}
      </p>
    </div>
  );
}

/** The merchant and the order first, then the amount large in figures and in capitals. */
function OrderSummary({ order }: { order: Checkout }) {
  const { t } = useTranslation('pay');
  return (
    <section className="panel checkout__order" aria-label={t('subject')} data-testid="checkout-order">
      <dl className="checkout__facts">
        <div>
          <dt>{t('merchant')}</dt>
          <dd data-testid="checkout-merchant">{order.merchant.name}</dd>
        </div>
        <div>
          <dt>{t('subject')}</dt>
          <dd data-testid="checkout-subject">{order.subject}</dd>
        </div>
      </dl>
      <p className="checkout__amount-label">{t('amount')}</p>
      <p className="checkout__amount" data-testid="checkout-amount">
        <Money value={order.amount} size="xl" />
      </p>
      <p className="amount-capital" data-testid="checkout-amount-capital">
        {toChineseCapitals(order.amount.amount)}
      </p>
      <p className="checkout__meta tabular">
        {t('tradeNo')} {order.tradeNo}
        {order.status === 'WAIT_BUYER_PAY' && <> · {t('expiresAt', { time: formatBankDateTime(order.expiresAt) })}</>}
      </p>
    </section>
  );
}

/** Sign-in on the page itself: the login page's own components, password or QR. */
function SignIn() {
  const { t } = useTranslation('pay');
  const { t: tc } = useTranslation();
  const refreshSession = useRefreshSession();
  const [tab, setTab] = useState<'password' | 'qr'>('password');
  // Signed in: the session query now says so and the page moves on by itself.
  const stay = useCallback(() => undefined, []);
  const { step, advance, restart } = useLoginFlow(stay);
  const onQrApproved = useCallback(() => void refreshSession().catch(() => undefined), [refreshSession]);
  return (
    <section className="panel checkout__signin" aria-labelledby="checkout-signin-title">
      <h2 id="checkout-signin-title" className="section-title">
        {t('signInTitle')}
      </h2>
      <p>{t('signInLead')}</p>
      {step.kind === 'credentials' && (
        <LoginTabs
          label={tc('login.tabsLabel')}
          selected={tab}
          onSelect={(id) => setTab(id as 'password' | 'qr')}
          tabs={[
            { id: 'password', label: tc('login.tabPassword'), icon: <CardIcon size={18} /> },
            { id: 'qr', label: tc('login.tabQr'), icon: <QrIcon size={18} /> },
          ]}
        >
          {tab === 'password' ? (
            <CredentialsForm
              channel="web"
              captchaMode="always"
              onResult={advance}
              identifierLabel={tc('login.identifier')}
              identifierPlaceholder={tc('login.identifierPlaceholder')}
              identifierHint={tc('login.identifierHint')}
            />
          ) : (
            <QrLogin onApproved={onQrApproved} />
          )}
        </LoginTabs>
      )}
      {step.kind === 'challenge' && (
        <LoginChallengeStep
          attemptId={step.attemptId}
          challenge={step.challenge}
          alternatives={step.alternatives}
          onResult={advance}
          onCancel={restart}
        />
      )}
      {step.kind === 'change_password' && (
        <ChangePasswordStep attemptId={step.attemptId} onResult={advance} onCancel={restart} />
      )}
    </section>
  );
}

/** After sign-in: the reserved message, the paying account, and one primary button. */
function ChooseAccount({
  tradeNo,
  onAnswer,
}: {
  tradeNo: string;
  onAnswer: (answer: Awaited<ReturnType<typeof payCheckout>>) => void;
}) {
  const { t } = useTranslation('pay');
  const accounts = useQuery({ queryKey: queryKeys.accounts, queryFn: getAccounts });
  const [accountId, setAccountId] = useState('');
  const [missing, setMissing] = useState(false);
  // One key per order and account: a retried click never pays twice (API.md, Idempotency-Key).
  const [attempt] = useState(() => crypto.randomUUID());
  const queryClient = useQueryClient();
  const logout = useLogout();
  const pay = useMutation({
    mutationFn: (id: string) => payCheckout(tradeNo, id, `${attempt}:${id}`),
    onSuccess: onAnswer,
    onError: () => void queryClient.invalidateQueries({ queryKey: checkoutKey(tradeNo) }),
  });
  const chosen: Account | undefined = accounts.data?.items.find((account) => account.id === accountId);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!accountId) {
      setMissing(true);
      return;
    }
    pay.mutate(accountId);
  }

  return (
    <>
      <ReservedMessage testId="checkout-reserved" compact />
      <form className="panel" onSubmit={submit} noValidate aria-label={t('from')}>
        {accounts.isError && <ProblemAlert error={accounts.error} />}
        <SelectField
          label={t('from')}
          value={accountId}
          onChange={(event) => {
            setAccountId(event.target.value);
            setMissing(false);
          }}
          error={missing ? t('missingAccount') : undefined}
          testId="checkout-from"
          hint={
            chosen && (
              <>
                {t('available')} <Money value={chosen.available} />
              </>
            )
          }
        >
          <option value="" disabled>
            {t('choose')}
          </option>
          {accounts.data?.items.map((account) => (
            <AccountOption key={account.id} account={account} />
          ))}
        </SelectField>
        {pay.error && <ProblemAlert error={pay.error} testId="checkout-error" />}
        <div className="panel__actions">
          <Button variant="quiet" onClick={() => void logout()}>
            {t('signOut')}
          </Button>
          <Button type="submit" size="lg" busy={pay.isPending} data-testid="checkout-pay">
            {t('pay')}
          </Button>
        </div>
      </form>
    </>
  );
}

/** The result, with the signed way back to the shop. */
function PaidResult({ merchant, returnUrl }: { merchant: string; returnUrl: string | undefined }) {
  const { t } = useTranslation('pay');
  return (
    <section className="panel" aria-labelledby="checkout-paid-title" data-testid="checkout-paid">
      <Alert tone="success">
        <strong id="checkout-paid-title">{t('paidTitle')}</strong> {t('paidBody', { merchant })}
      </Alert>
      <div className="panel__actions">
        {returnUrl ? (
          <a className="btn btn--primary btn--lg" href={returnUrl} data-testid="checkout-back">
            <span className="btn__label">{t('backToShop')}</span>
          </a>
        ) : (
          <p>{t('noReturn')}</p>
        )}
      </div>
    </section>
  );
}

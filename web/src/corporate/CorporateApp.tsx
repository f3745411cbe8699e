import './messages';
import './corporate.css';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { Money } from '../ui/Money';
import { ProblemAlert } from '../ui/ProblemAlert';
import { Operators } from './Operators';
import { Policies } from './Policies';
import {
  type BatchView,
  type CorpAccountList,
  type CorpLoginAnswer,
  type CorpSessionAnswer,
  continueLogin,
  corpApi,
  type InstructionList,
  type InstructionView,
  signedCall,
} from './corporateApi';

type Operator = NonNullable<CorpSessionAnswer['operator']>;

/** Corporate e-banking under /corporate/: operator sign-in with their own key, then the dashboard. */
export function CorporateApp() {
  const { t } = useTranslation('corporate');
  const [operator, setOperator] = useState<Operator | null | undefined>(undefined);
  const load = useCallback(async () => {
    const session = await corpApi<CorpSessionAnswer>('/api/v1/corporate/session');
    setOperator(session.operator ?? null);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const signOut = async () => {
    await corpApi('/api/v1/corporate/logout', { method: 'POST' });
    setOperator(null);
  };
  return (
    <div className="corp">
      <header className="corp-header">
        <h1>{t('title')}</h1>
        <LanguageSwitch />
        {operator && (
          <span className="corp-who" data-testid="corp-operator">
            {operator.enterprise.name} ·{' '}
            {t('nav.operator', { name: operator.name, code: operator.code, role: t(`roles.${operator.role}`) })}
            <button type="button" onClick={() => void signOut()} data-testid="corp-sign-out">
              {t('nav.signOut')}
            </button>
          </span>
        )}
      </header>
      {operator === undefined ? null : operator ? (
        <Dashboard key={operator.id} operator={operator} />
      ) : (
        <Login onDone={() => void load()} />
      )}
    </div>
  );
}

function Login({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('corporate');
  const [state, setState] = useState<CorpLoginAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<CorpLoginAnswer>) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await work();
      if (answer.state === 'authenticated') onDone();
      else setState(answer);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(() =>
      corpApi('/api/v1/corporate/login', {
        method: 'POST',
        body: {
          enterpriseCode: String(form.get('enterpriseCode')),
          operatorCode: String(form.get('operatorCode')),
          password: String(form.get('password')),
        },
      }),
    );
  };
  const changePassword = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const attemptId = state && 'attemptId' in state ? state.attemptId : '';
    const newPassword = String(new FormData(event.currentTarget).get('newPassword'));
    void run(() => corpApi(`/api/v1/corporate/login/${attemptId}/password`, { method: 'POST', body: { newPassword } }));
  };
  return (
    <main className="corp-login">
      <h2>{t('login.title')}</h2>
      {error ? <ProblemAlert error={error} testId="corp-login-error" /> : null}
      {state === null && (
        <form onSubmit={submit} className="corp-form">
          <label>
            {t('login.enterpriseCode')}
            <input name="enterpriseCode" required autoComplete="organization" data-testid="corp-enterprise" />
          </label>
          <label>
            {t('login.operatorCode')}
            <input name="operatorCode" required autoComplete="username" data-testid="corp-operator-code" />
          </label>
          <label>
            {t('login.password')}
            <input
              name="password"
              type="password"
              required
              autoComplete="current-password"
              data-testid="corp-password"
            />
          </label>
          <button type="submit" disabled={busy} data-testid="corp-login-submit">
            {t('login.submit')}
          </button>
          <p className="corp-notice">{t('login.notice')}</p>
        </form>
      )}
      {state?.state === 'change_password' && (
        <form onSubmit={changePassword} className="corp-form">
          <p>{t('login.newPasswordLead')}</p>
          <label>
            {t('login.newPassword')}
            <input
              name="newPassword"
              type="password"
              required
              autoComplete="new-password"
              data-testid="corp-new-password"
            />
          </label>
          <button type="submit" disabled={busy} data-testid="corp-save-password">
            {t('login.savePassword')}
          </button>
        </form>
      )}
      {(state?.state === 'register_medium' || state?.state === 'challenge') && (
        <div className="corp-form">
          <p>{state.state === 'register_medium' ? t('login.registerLead') : t('login.challengeLead')}</p>
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => continueLogin(state))}
            data-testid="corp-key"
          >
            {state.state === 'register_medium' ? t('login.register') : t('login.useKey')}
          </button>
        </div>
      )}
    </main>
  );
}

function Dashboard({ operator }: { operator: Operator }) {
  const { t } = useTranslation('corporate');
  const [accounts, setAccounts] = useState<CorpAccountList['items']>([]);
  const [waiting, setWaiting] = useState<InstructionView[]>([]);
  const [recent, setRecent] = useState<InstructionView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const refresh = useCallback(async () => {
    const [a, w, r] = await Promise.all([
      corpApi<CorpAccountList>('/api/v1/corporate/accounts'),
      corpApi<InstructionList>('/api/v1/corporate/payments?waitingForMe=true'),
      corpApi<InstructionList>('/api/v1/corporate/payments'),
    ]);
    setAccounts(a.items);
    setWaiting(w.items);
    setRecent(r.items);
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    }
    await refresh();
  };
  return (
    <main className="corp-main">
      {error ? <ProblemAlert error={error} testId="corp-error" /> : null}
      <section>
        <h2>{t('accounts.title')}</h2>
        <table className="corp-table">
          <thead>
            <tr>
              <th>{t('accounts.number')}</th>
              <th>{t('accounts.balance')}</th>
              <th>{t('accounts.available')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} data-testid="corp-account">
                <td>{a.number}</td>
                <td>
                  <Money value={a.balance} />
                </td>
                <td>
                  <Money value={a.available} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {operator.role === 'maker' && accounts.length > 0 && (
        <PaymentForm
          accounts={accounts}
          onSubmit={(body) => act(() => corpApi('/api/v1/corporate/payments', { method: 'POST', body }))}
        />
      )}
      {operator.role === 'admin' && <Operators accounts={accounts} />}
      {operator.role === 'admin' && accounts.length > 0 && <Policies accounts={accounts} />}
      {operator.role === 'maker' && accounts.length > 0 && <PayrollUpload accounts={accounts} onSubmitted={refresh} />}
      <section>
        <h2>{t('inbox.title')}</h2>
        {waiting.length === 0 ? <p>{t('inbox.empty')}</p> : null}
        {waiting.map((item) => (
          <InstructionCard key={item.id} item={item}>
            <button
              type="button"
              data-testid="corp-approve"
              onClick={() => void act(() => signedCall(`/api/v1/corporate/payments/${item.id}/approve`, {}))}
            >
              {item.state === 'pending_release' ? t('inbox.release') : t('inbox.approve')}
            </button>
            <button
              type="button"
              data-testid="corp-reject"
              onClick={() => {
                const reason = window.prompt(t('inbox.reason'));
                if (reason) void act(() => signedCall(`/api/v1/corporate/payments/${item.id}/reject`, { reason }));
              }}
            >
              {t('inbox.reject')}
            </button>
          </InstructionCard>
        ))}
      </section>
      <section>
        <h2>{t('list.title')}</h2>
        {recent.length === 0 ? <p>{t('list.empty')}</p> : null}
        {recent.map((item) => (
          <InstructionCard key={item.id} item={item} />
        ))}
      </section>
    </main>
  );
}

function InstructionCard({ item, children }: { item: InstructionView; children?: React.ReactNode }) {
  const { t } = useTranslation('corporate');
  return (
    <article className="corp-card" data-testid="corp-instruction" data-state={item.state}>
      <dl>
        <dt>{t('instruction.payee')}</dt>
        <dd>
          {item.payee.name} · {item.payee.accountNumber}
        </dd>
        <dt>{t('instruction.amount')}</dt>
        <dd>
          <Money value={item.amount} /> <span className="corp-words">{item.amountInWords}</span>
        </dd>
        <dt>{t('instruction.purpose')}</dt>
        <dd>{item.purpose}</dd>
        <dt>{t('instruction.maker')}</dt>
        <dd>
          {item.maker.name}（{item.maker.code}）
        </dd>
        <dt>{t('instruction.state')}</dt>
        <dd data-testid="corp-state">
          {t(`states.${item.state}`)}
          {item.state === 'pending'
            ? ` · ${t('instruction.level', { level: item.level, have: item.approvals, required: item.required })}`
            : null}
          {item.clearing ? ` · ${t(`instruction.clearing.${item.clearing}`)}` : null}
        </dd>
      </dl>
      {item.chain.length > 0 && (
        <ol className="corp-chain" aria-label={t('instruction.chain')}>
          {item.chain.map((step) => (
            <li key={`${step.operator.id}-${step.at}`}>
              {step.level === 0 ? t('instruction.releaseStep') : t('instruction.levelStep', { level: step.level })} ·{' '}
              {step.operator.name} ·{' '}
              {step.decision === 'approve' ? t('instruction.approved') : t('instruction.rejected')}
            </li>
          ))}
        </ol>
      )}
      {item.kind === 'payroll' && item.state === 'executed' && item.payee.accountNumber.startsWith('batch:') ? (
        <p>
          <a
            href={`/api/v1/corporate/batches/${item.payee.accountNumber.slice('batch:'.length)}/result.csv`}
            download
            data-testid="corp-payroll-result"
          >
            {t('payroll.result')}
          </a>
        </p>
      ) : null}
      {children ? <div className="corp-actions">{children}</div> : null}
    </article>
  );
}

function PaymentForm({
  accounts,
  onSubmit,
}: {
  accounts: CorpAccountList['items'];
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useTranslation('corporate');
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void onSubmit({
      fromAccountId: String(form.get('from')),
      payee: { name: String(form.get('payeeName')).trim(), accountNumber: String(form.get('payeeAccount')).trim() },
      amount: { amount: String(form.get('amount')).trim(), currency: 'CNY' },
      purpose: String(form.get('purpose')).trim(),
    }).then(() => formElement.reset());
  };
  return (
    <section>
      <h2>{t('payment.title')}</h2>
      <form onSubmit={submit} className="corp-form corp-form--wide">
        <label>
          {t('payment.from')}
          <select name="from" data-testid="corp-from">
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.number}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('payment.payeeName')}
          <input name="payeeName" required data-testid="corp-payee-name" />
        </label>
        <label>
          {t('payment.payeeAccount')}
          <input name="payeeAccount" required inputMode="numeric" data-testid="corp-payee-account" />
        </label>
        <label>
          {t('payment.amount')}
          <input name="amount" required inputMode="decimal" pattern="\d+(\.\d{1,2})?" data-testid="corp-amount" />
        </label>
        <label>
          {t('payment.purpose')}
          <input name="purpose" required data-testid="corp-purpose" />
        </label>
        <button type="submit" data-testid="corp-pay-submit">
          {t('payment.submit')}
        </button>
      </form>
    </section>
  );
}

function PayrollUpload({
  accounts,
  onSubmitted,
}: {
  accounts: CorpAccountList['items'];
  onSubmitted: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation('corporate');
  const [report, setReport] = useState<BatchView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const upload = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    const file = new FormData(event.currentTarget).get('file');
    if (!(file instanceof File) || file.size === 0) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    try {
      setReport(
        await corpApi<BatchView>('/api/v1/corporate/batches', {
          method: 'POST',
          body: { fromAccountId: accounts[0]?.id, fileName: file.name, content: btoa(binary) },
        }),
      );
    } catch (caught) {
      setError(caught);
    }
  };
  const submit = async () => {
    if (!report) return;
    try {
      await corpApi(`/api/v1/corporate/payments/${report.instructionId}/submit`, { method: 'POST' });
      setReport(null);
      await onSubmitted();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section>
      <h2>{t('payroll.title')}</h2>
      {error ? <ProblemAlert error={error} testId="corp-payroll-error" /> : null}
      <form onSubmit={(event) => void upload(event)} className="corp-form corp-form--wide">
        <label>
          {t('payroll.file')}
          <input name="file" type="file" accept=".csv,text/csv" data-testid="corp-payroll-file" />
        </label>
        <button type="submit" data-testid="corp-payroll-upload">
          {t('payroll.upload')}
        </button>
      </form>
      {report && (
        <div className="corp-card" data-testid="corp-payroll-report">
          <p>
            {t('payroll.report', { count: report.count })} <Money value={report.total} />{' '}
            <span className="corp-words">{report.totalInWords}</span>
          </p>
          <ul>
            {report.bad.map((bad) => (
              <li key={bad.line} data-testid="corp-payroll-bad">
                {t('payroll.bad', { line: bad.line, reason: i18n.language === 'en' ? bad.en : bad.zh })}
              </li>
            ))}
          </ul>
          {report.duplicates.length > 0 ? (
            <p>{t('payroll.duplicates', { lines: report.duplicates.join(', ') })}</p>
          ) : null}
          <p className="corp-words">
            {t('payroll.hash')}: <code>{report.linesSha256}</code>
          </p>
          <button type="button" onClick={() => void submit()} data-testid="corp-payroll-submit">
            {t('payroll.submit')}
          </button>
        </div>
      )}
    </section>
  );
}

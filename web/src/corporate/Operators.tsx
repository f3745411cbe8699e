import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Money } from '../ui/Money';
import { ProblemAlert } from '../ui/ProblemAlert';
import { type CorpAccountList, corpApi, type NewOperatorAnswer, type OperatorList, signedCall } from './corporateApi';

type OperatorItem = OperatorList['items'][number];

/**
 * The administrator's operators: the list (role, limits, status, whether a key is registered), a new
 * operator, and changes to one (role, accounts, limits, disabling, unlocking), each signed with the
 * administrator's U-shield as the server requires.
 */
export function Operators({ accounts }: { accounts: CorpAccountList['items'] }) {
  const { t } = useTranslation('corporate');
  const [items, setItems] = useState<OperatorList['items']>([]);
  const [created, setCreated] = useState<NewOperatorAnswer | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    setItems((await corpApi<OperatorList>('/api/v1/corporate/operators')).items);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setError(null);
    try {
      const answer = await signedCall<NewOperatorAnswer>('/api/v1/corporate/operators', {
        name: String(form.get('name')).trim(),
        idNumber: String(form.get('idNumber')).trim(),
        mobile: String(form.get('mobile')).trim(),
        role: String(form.get('role')),
        accounts: accounts.map((a) => a.id),
        singleLimit: { amount: String(form.get('single')).trim(), currency: 'CNY' },
        dailyLimit: { amount: String(form.get('daily')).trim(), currency: 'CNY' },
      });
      setCreated(answer);
      formElement.reset();
      await load();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <section>
      <h2>{t('operators.title')}</h2>
      {error ? <ProblemAlert error={error} testId="corp-operators-error" /> : null}
      <table className="corp-table">
        <thead>
          <tr>
            <th>{t('operators.code')}</th>
            <th>{t('operators.name')}</th>
            <th>{t('operators.role')}</th>
            <th>{t('operators.limits')}</th>
            <th>{t('operators.medium')}</th>
            <th>{t('operators.status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((o) => (
            <tr key={o.id} data-testid="corp-operator-row">
              <td>{o.code}</td>
              <td>{o.name}</td>
              <td>{t(`roles.${o.role}`)}</td>
              <td>
                <Money value={o.singleLimit} /> / <Money value={o.dailyLimit} />
              </td>
              <td>{o.hasMedium ? t('operators.yes') : t('operators.no')}</td>
              <td data-testid="corp-op-status">
                {t(o.status === 'disabled' ? 'operators.disabled' : 'operators.active')}
                {o.locked ? ` · ${t('operators.locked')}` : ''}
              </td>
              <td>
                {o.role === 'admin' ? null : (
                  <button type="button" onClick={() => setEditing(o.id)} data-testid="corp-op-edit">
                    {t('operators.edit')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {saved ? (
        <p className="corp-card" role="status" data-testid="corp-op-saved">
          {t('operators.saved', { code: saved })}
        </p>
      ) : null}
      {editing
        ? (() => {
            const target = items.find((o) => o.id === editing);
            return target ? (
              <OperatorEditor
                key={target.id}
                operator={target}
                accounts={accounts}
                onCancel={() => setEditing(null)}
                onSaved={async () => {
                  setEditing(null);
                  setSaved(target.code);
                  await load();
                }}
              />
            ) : null;
          })()
        : null}
      {created && (
        <p className="corp-card" data-testid="corp-operator-created">
          {t('operators.created', { code: created.operator.code })} <code>{created.initialPassword}</code>
        </p>
      )}
      <form onSubmit={(event) => void add(event)} className="corp-form corp-form--wide">
        <label>
          {t('operators.name')}
          <input name="name" required data-testid="corp-op-name" />
        </label>
        <label>
          {t('operators.idNumber')}
          <input name="idNumber" required autoComplete="off" data-testid="corp-op-id" />
        </label>
        <label>
          {t('operators.mobile')}
          <input name="mobile" required inputMode="numeric" data-testid="corp-op-mobile" />
        </label>
        <label>
          {t('operators.role')}
          <select name="role" data-testid="corp-op-role">
            {(['maker', 'checker', 'releaser', 'viewer'] as const).map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('operators.single')}
          <input name="single" required inputMode="decimal" defaultValue="10000.00" data-testid="corp-op-single" />
        </label>
        <label>
          {t('operators.daily')}
          <input name="daily" required inputMode="decimal" defaultValue="50000.00" data-testid="corp-op-daily" />
        </label>
        <button type="submit" data-testid="corp-op-add">
          {t('operators.add')}
        </button>
      </form>
    </section>
  );
}

/** One operator's change form: only the fields that differ are sent, signed with the administrator's key. */
function OperatorEditor({
  operator,
  accounts,
  onCancel,
  onSaved,
}: {
  operator: OperatorItem;
  accounts: CorpAccountList['items'];
  onCancel: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation('corporate');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const send = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await signedCall(`/api/v1/corporate/operators/${operator.id}`, body, 'PUT');
      await onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const change: Record<string, unknown> = {};
    const role = String(form.get('role'));
    if (role !== operator.role) change.role = role;
    const single = String(form.get('single')).trim();
    if (single !== operator.singleLimit.amount) change.singleLimit = { amount: single, currency: 'CNY' };
    const daily = String(form.get('daily')).trim();
    if (daily !== operator.dailyLimit.amount) change.dailyLimit = { amount: daily, currency: 'CNY' };
    const status = String(form.get('status'));
    if (status !== operator.status) change.status = status;
    const chosen = form.getAll('accounts').map(String);
    if ([...chosen].sort().join() !== [...operator.accounts].sort().join()) change.accounts = chosen;
    if (Object.keys(change).length === 0) return onCancel();
    void send(change);
  };
  return (
    <form onSubmit={submit} className="corp-card corp-form corp-form--wide" data-testid="corp-op-editor">
      <h3>
        {operator.name} · {operator.code}
      </h3>
      {error ? <ProblemAlert error={error} testId="corp-op-edit-error" /> : null}
      <label>
        {t('operators.role')}
        <select name="role" defaultValue={operator.role} data-testid="corp-edit-role">
          {(['maker', 'checker', 'releaser', 'viewer'] as const).map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('operators.single')}
        <input
          name="single"
          required
          inputMode="decimal"
          defaultValue={operator.singleLimit.amount}
          data-testid="corp-edit-single"
        />
      </label>
      <label>
        {t('operators.daily')}
        <input
          name="daily"
          required
          inputMode="decimal"
          defaultValue={operator.dailyLimit.amount}
          data-testid="corp-edit-daily"
        />
      </label>
      <label>
        {t('operators.status')}
        <select name="status" defaultValue={operator.status} data-testid="corp-edit-status">
          <option value="active">{t('operators.active')}</option>
          <option value="disabled">{t('operators.disabled')}</option>
        </select>
      </label>
      <fieldset>
        <legend>{t('operators.accounts')}</legend>
        {accounts.map((a) => (
          <label key={a.id} className="corp-check">
            <input
              type="checkbox"
              name="accounts"
              value={a.id}
              defaultChecked={operator.accounts.includes(a.id)}
              data-testid="corp-edit-account"
            />
            {a.number}
          </label>
        ))}
      </fieldset>
      <div className="corp-actions">
        <button type="submit" disabled={busy} data-testid="corp-edit-save">
          {t('operators.save')}
        </button>
        {operator.locked ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => void send({ unlock: true })}
            data-testid="corp-edit-unlock"
          >
            {t('operators.unlock')}
          </button>
        ) : null}
        <button type="button" onClick={onCancel}>
          {t('operators.cancel')}
        </button>
      </div>
    </form>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../ui/ProblemAlert';
import { type CorpAccountList, corpApi, type OperatorList, type PolicyList, signedCall } from './corporateApi';

type BusinessType = 'payment' | 'payroll';
/** Draft tiers and levels carry a key of their own: React keeps each input with its row as rows come and go. */
type Level = { key: string; required: number; operators: string[] };
type Tier = { key: string; upTo: string; release: boolean; levels: Level[] };
type PolicyItem = PolicyList['items'][number];

/** Most tiers and levels the server takes (schema.ts): the page offers no more. */
const MAX_TIERS = 10;
const MAX_LEVELS = 5;
let lastKey = 0;
const newKey = () => String(++lastKey);
const newLevel = (): Level => ({ key: newKey(), required: 1, operators: [] });
const newTier = (): Tier => ({ key: newKey(), upTo: '10000.00', release: false, levels: [newLevel()] });

function policyFor(items: PolicyItem[], accountId: string, businessType: BusinessType): PolicyItem | undefined {
  return items.find((p) => p.accountId === accountId && p.businessType === businessType);
}

/** A policy as the server sends it, as the editor's draft. */
function draftOf(policy: PolicyItem | undefined): Tier[] {
  if (!policy) return [newTier()];
  return policy.tiers.map((tier) => ({
    key: newKey(),
    upTo: tier.upTo.amount,
    release: tier.release,
    levels: tier.levels.map((l) => ({ key: newKey(), required: l.required, operators: [...l.operators] })),
  }));
}

/** The PUT body's form of a policy (the server replaces them all at once). */
function policyIn(accountId: string, businessType: BusinessType, tiers: Tier[]) {
  return {
    accountId,
    businessType,
    tiers: tiers.map((tier) => ({
      upTo: { amount: tier.upTo.trim(), currency: 'CNY' },
      levels: tier.levels.map((l) => ({ required: l.required, operators: l.operators })),
      release: tier.release,
    })),
  };
}

/**
 * The administrator's approval policies, per account and business type: amount tiers, each with ordered
 * levels of k-of-m eligible checkers and, optionally, a releaser's release; above the top tier the
 * administrator releases. Saving replaces every policy, signed with the administrator's U-shield.
 */
export function Policies({ accounts }: { accounts: CorpAccountList['items'] }) {
  const { t } = useTranslation('corporate');
  const [policies, setPolicies] = useState<PolicyItem[]>([]);
  const [checkers, setCheckers] = useState<OperatorList['items']>([]);
  const [chosenAccount, setAccountId] = useState<string | null>(null);
  const accountId = chosenAccount ?? accounts[0]?.id ?? '';
  const [businessType, setBusinessType] = useState<BusinessType>('payment');
  const [tiers, setTiers] = useState<Tier[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    const [list, operators] = await Promise.all([
      corpApi<PolicyList>('/api/v1/corporate/policies'),
      corpApi<OperatorList>('/api/v1/corporate/operators'),
    ]);
    setPolicies(list.items);
    setCheckers(operators.items.filter((o) => o.role === 'checker' && o.status === 'active'));
    return list.items;
  }, []);
  useEffect(() => {
    void load().then((items) => setTiers(draftOf(policyFor(items, accountId, businessType))));
  }, [load, accountId, businessType]);

  const change = (update: (draft: Tier[]) => void) => {
    setSaved(false);
    setTiers((previous) => {
      const draft = structuredClone(previous);
      update(draft);
      return draft;
    });
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const others = policies
        .filter((p) => !(p.accountId === accountId && p.businessType === businessType))
        .map((p) => policyIn(p.accountId, p.businessType, draftOf(p)));
      await signedCall(
        '/api/v1/corporate/policies',
        { policies: [...others, policyIn(accountId, businessType, tiers)] },
        'PUT',
      );
      const items = await load();
      setTiers(draftOf(policyFor(items, accountId, businessType)));
      setSaved(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section data-testid="corp-policies">
      <h2>{t('policies.title')}</h2>
      {error ? <ProblemAlert error={error} testId="corp-policy-error" /> : null}
      <ul className="corp-summary">
        {policies.map((p) => (
          <li key={`${p.accountId}-${p.businessType}`} data-testid="corp-policy-row">
            {accounts.find((a) => a.id === p.accountId)?.number ?? p.accountId} ·{' '}
            {t(`policies.types.${p.businessType}`)}
            {' · '}
            {p.tiers
              .map((tier) =>
                t('policies.summary', {
                  upTo: tier.upTo.amount,
                  levels: tier.levels
                    .map((l) => t('policies.summaryLevel', { required: l.required, of: l.operators.length }))
                    .join(' → '),
                  release: tier.release ? t('policies.summaryRelease') : '',
                }),
              )
              .join(' | ')}
          </li>
        ))}
      </ul>
      <div className="corp-form corp-form--wide">
        <label>
          {t('policies.account')}
          <select value={accountId} onChange={(e) => setAccountId(e.target.value)} data-testid="corp-policy-account">
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.number}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('policies.businessType')}
          <select
            value={businessType}
            onChange={(e) => setBusinessType(e.target.value as BusinessType)}
            data-testid="corp-policy-type"
          >
            <option value="payment">{t('policies.types.payment')}</option>
            <option value="payroll">{t('policies.types.payroll')}</option>
          </select>
        </label>
      </div>
      {policyFor(policies, accountId, businessType) ? null : <p>{t('policies.none')}</p>}
      {tiers.map((tier, ti) => (
        <fieldset key={tier.key} className="corp-card corp-tier" data-testid="corp-tier">
          <legend>{t('policies.tier', { n: ti + 1 })}</legend>
          <label>
            {t('policies.upTo')}
            <input
              value={tier.upTo}
              inputMode="decimal"
              onChange={(e) => {
                const upTo = e.target.value;
                change((d) => {
                  d[ti]!.upTo = upTo;
                });
              }}
              data-testid="corp-tier-upto"
            />
          </label>
          {tier.levels.map((level, li) => (
            <div key={level.key} className="corp-level" data-testid="corp-level">
              <strong>{t('policies.level', { n: li + 1 })}</strong>
              <label>
                {t('policies.required')}
                <input
                  type="number"
                  min={1}
                  max={Math.max(1, level.operators.length)}
                  value={level.required}
                  onChange={(e) => {
                    const required = Number(e.target.value);
                    change((d) => {
                      d[ti]!.levels[li]!.required = required;
                    });
                  }}
                  data-testid="corp-level-required"
                />
              </label>
              <span>{t('policies.eligible')}</span>
              {checkers.map((c) => (
                <label key={c.id} className="corp-check">
                  <input
                    type="checkbox"
                    checked={level.operators.includes(c.id)}
                    onChange={(e) => {
                      const checked = e.target.checked;
                      change((d) => {
                        const ops = d[ti]!.levels[li]!.operators;
                        d[ti]!.levels[li]!.operators = checked ? [...ops, c.id] : ops.filter((id) => id !== c.id);
                      });
                    }}
                    data-testid="corp-level-operator"
                    data-code={c.code}
                  />
                  {c.name} · {c.code}
                </label>
              ))}
              {tier.levels.length > 1 ? (
                <button type="button" onClick={() => change((d) => void d[ti]!.levels.splice(li, 1))}>
                  {t('policies.removeLevel')}
                </button>
              ) : null}
            </div>
          ))}
          <label className="corp-check">
            <input
              type="checkbox"
              checked={tier.release}
              onChange={(e) => {
                const release = e.target.checked;
                change((d) => {
                  d[ti]!.release = release;
                });
              }}
              data-testid="corp-tier-release"
            />
            {t('policies.release')}
          </label>
          <div className="corp-actions">
            {tier.levels.length < MAX_LEVELS ? (
              <button
                type="button"
                onClick={() => change((d) => void d[ti]!.levels.push(newLevel()))}
                data-testid="corp-level-add"
              >
                {t('policies.addLevel')}
              </button>
            ) : null}
            {tiers.length > 1 ? (
              <button type="button" onClick={() => change((d) => void d.splice(ti, 1))}>
                {t('policies.removeTier')}
              </button>
            ) : null}
          </div>
        </fieldset>
      ))}
      <p>{t('policies.aboveTop')}</p>
      <div className="corp-actions">
        {tiers.length < MAX_TIERS ? (
          <button type="button" onClick={() => change((d) => void d.push(newTier()))} data-testid="corp-tier-add">
            {t('policies.addTier')}
          </button>
        ) : null}
        <button type="button" disabled={busy} onClick={() => void save()} data-testid="corp-policy-save">
          {t('policies.save')}
        </button>
      </div>
      {saved ? (
        <p className="corp-card" role="status" data-testid="corp-policy-saved">
          {t('policies.saved')}
        </p>
      ) : null}
    </section>
  );
}

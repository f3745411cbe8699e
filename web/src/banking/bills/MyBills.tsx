import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { invalidate } from '../../api/queryKeys';
import { Button } from '../../ui/Button';
import { formatBankDate } from '../../ui/bankTime';
import { formatMoney } from '../../ui/money';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { billKeys, deleteSavedBill, getSavedBills, type SavedBill } from './billsApi';

/** "My bills": the bill accounts paid before (kept by the server), each looked up again with one click. */
export function MyBills({ onQuery }: { onQuery: (saved: SavedBill) => void }) {
  const { t } = useTranslation('bills');
  const client = useQueryClient();
  const saved = useQuery({ queryKey: billKeys.saved, queryFn: getSavedBills });
  const remove = useMutation({
    mutationFn: deleteSavedBill,
    onSuccess: () => invalidate(client, [billKeys.saved]),
  });
  const items = saved.data?.items ?? [];
  return (
    <section className="panel bills__mine" aria-labelledby="my-bills-title" data-testid="my-bills">
      <h2 id="my-bills-title" className="section-title">
        {t('mine.title')}
      </h2>
      {saved.isError && <ProblemAlert error={saved.error} />}
      {saved.isSuccess && items.length === 0 && <p className="section-lead">{t('mine.empty')}</p>}
      <ul className="my-bills">
        {items.map((item) => (
          <li key={item.id} className="my-bills__item" data-testid="my-bill">
            <div className="my-bills__text">
              <span className="my-bills__biller">
                {t(`categories.${item.category}`)} · {item.billerName}
              </span>
              <span className="tabular">{item.billAccount}</span>
              <span className="my-bills__last tabular">
                {item.lastPaid
                  ? t('mine.lastPaid', {
                      amount: formatMoney(item.lastPaid.amount),
                      date: formatBankDate(item.lastPaid.at),
                    })
                  : t('mine.never')}
              </span>
            </div>
            <div className="my-bills__actions">
              <Button size="sm" variant="secondary" onClick={() => onQuery(item)} data-testid="my-bill-query">
                {t('mine.query')}
              </Button>
              <Button
                size="sm"
                variant="quiet"
                onClick={() => remove.mutate(item.id)}
                disabled={remove.isPending}
                aria-label={t('mine.removeLabel', { biller: item.billerName, account: item.billAccount })}
              >
                {t('mine.remove')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      {remove.error && <ProblemAlert error={remove.error} />}
    </section>
  );
}

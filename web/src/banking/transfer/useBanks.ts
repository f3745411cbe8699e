import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { OwnBankCode } from '../../api/contract';
import { queryKeys } from '../../api/queryKeys';
import { currentLanguage } from '../../i18n';
import { type Bank, getBanks } from '../bankingApi';

/**
 * Jinku's own bank code. A transfer to it omits `bankCode` (the server reads a missing code as its own
 * bank); the type ties the value to the server's OWN_BANK_CODE.
 */
export const OWN_BANK_CODE: OwnBankCode = '888';

/**
 * The banks a payee can be at, as the server names them in the page's language (`GET /api/v1/banks`).
 * While the list loads, or when it cannot be loaded, only the own bank is offered, so that payments
 * within Jinku still work.
 */
export function useBanks() {
  const { t } = useTranslation('banking');
  const language = currentLanguage();
  const query = useQuery({
    queryKey: queryKeys.banks(language),
    queryFn: getBanks,
    // The list changes only with a deployment; after a language switch the old names stay until the new arrive.
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: (previous) => previous,
  });
  const items: readonly Bank[] = query.data?.items ?? [{ code: OWN_BANK_CODE, name: t('transfer.ownBank') }];

  /** The bank's name for a code; a code the list does not hold is shown as it is. */
  function nameOf(code: string): string {
    return items.find((bank) => bank.code === code)?.name ?? code;
  }

  return { items, isError: query.isError, nameOf };
}

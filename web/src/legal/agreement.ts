import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import type { AgreementView } from '../register/registrationApi';

/**
 * The service agreement in force (GET /api/v1/registration/agreement): the server holds its text in both
 * languages, and a registration sends back the version the customer read.
 */
export function useAgreement() {
  return useQuery({
    queryKey: queryKeys.agreement,
    queryFn: () => api<AgreementView>('/api/v1/registration/agreement'),
    staleTime: 10 * 60_000,
  });
}

/** The agreement's title and paragraphs in the page's language. */
export function useAgreementText(agreement: AgreementView | undefined) {
  const { i18n } = useTranslation();
  if (!agreement) return undefined;
  const english = i18n.language === 'en';
  const body = english ? agreement.bodyEn : agreement.bodyZh;
  return {
    title: english ? agreement.titleEn : agreement.titleZh,
    paragraphs: body
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.trim())
      .filter(Boolean),
  };
}

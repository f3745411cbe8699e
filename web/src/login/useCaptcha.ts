import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { queryKeys } from '../api/queryKeys';
import { fetchCaptcha } from './loginApi';

/** A captcha that can be replaced on demand (after each failed login, or when the user asks). */
export function useCaptcha(enabled = true) {
  const [generation, setGeneration] = useState(0);
  const query = useQuery({
    queryKey: queryKeys.captcha(generation),
    queryFn: fetchCaptcha,
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
  });
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return {
    captchaId: query.data?.captchaId,
    image: query.data?.image,
    loading: query.isFetching,
    failed: query.isError,
    refresh,
  };
}

export type CaptchaState = ReturnType<typeof useCaptcha>;

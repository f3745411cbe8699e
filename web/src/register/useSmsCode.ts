import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useCountdown } from '../ui/useCountdown';
import { type SmsPurpose, type SmsSent, sendRegistrationCode } from './registrationApi';

/**
 * Sending a registration or reset code: the mutation, what the server answered (the masked mobile and
 * when a new code may be asked) and the seconds left before the resend button comes back.
 */
export function useSmsCode(purpose: SmsPurpose) {
  const [sent, setSent] = useState<SmsSent & { round: number }>();
  const send = useMutation({
    mutationFn: (mobile: string) => sendRegistrationCode(mobile, purpose),
    onSuccess: (answer) => setSent((previous) => ({ ...answer, round: (previous?.round ?? 0) + 1 })),
  });
  const resendLeft = useCountdown(sent?.resendAfterSeconds ?? 0, sent?.round);
  return { send, sent, resendLeft, forget: () => setSent(undefined) };
}

export type SmsCodeState = ReturnType<typeof useSmsCode>;

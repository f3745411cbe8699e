import { useTranslation } from 'react-i18next';
import { Button } from '../ui/Button';
import type { SmsCodeState } from './useSmsCode';

type Props = { sms: SmsCodeState; mobile: string; testIdPrefix: string };

/** The line under "code sent": the seconds until a new code may be asked, then the button that asks it. */
export function SmsResend({ sms, mobile, testIdPrefix }: Props) {
  const { t } = useTranslation('register');
  return (
    <p className="medium__meta step__resend tabular" data-testid={`${testIdPrefix}-sms-countdown`}>
      {sms.resendLeft > 0 ? (
        t('sms.resendIn', { seconds: sms.resendLeft })
      ) : (
        <Button
          variant="quiet"
          size="sm"
          onClick={() => sms.send.mutate(mobile)}
          busy={sms.send.isPending}
          data-testid={`${testIdPrefix}-sms-resend`}
        >
          {t('sms.resend')}
        </Button>
      )}
    </p>
  );
}

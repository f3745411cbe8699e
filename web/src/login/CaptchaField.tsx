import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';
import { RefreshIcon } from '../ui/icons';
import { Spinner } from '../ui/Spinner';
import { TextField } from '../ui/TextField';
import type { CaptchaState } from './useCaptcha';

type Props = {
  captcha: CaptchaState;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  size?: 'md' | 'lg';
  /** Prefix of the data-testids: `<prefix>-captcha-answer`, `-captcha-image`, `-captcha-refresh`. */
  testIdPrefix?: string;
};

/**
 * The captcha answer with its image and a refresh control. The image sits in a fixed-size box, so
 * nothing moves when it arrives (DESIGN.md, "no layout shift when the captcha loads").
 */
export const CaptchaField = forwardRef<HTMLInputElement, Props>(function CaptchaField(
  { captcha, value, onChange, error, size = 'md', testIdPrefix = 'login' },
  ref,
) {
  const { t } = useTranslation();
  return (
    <div className="captcha">
      <TextField
        ref={ref}
        className="captcha__input"
        label={t('captcha.label')}
        placeholder={t('captcha.placeholder')}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        error={error}
        size={size}
        autoComplete="off"
        autoCapitalize="characters"
        autoCorrect="off"
        spellCheck={false}
        maxLength={8}
        testId={`${testIdPrefix}-captcha-answer`}
        trailing={
          <div className="captcha__tools">
            <div className="captcha__box" aria-live="polite">
              {captcha.image ? (
                <img
                  className="captcha__image"
                  src={captcha.image}
                  alt={t('captcha.image')}
                  width={112}
                  height={38}
                  data-testid={`${testIdPrefix}-captcha-image`}
                  data-captcha-id={captcha.captchaId}
                />
              ) : captcha.failed ? (
                <span
                  className="captcha__placeholder captcha__placeholder--failed"
                  data-testid={`${testIdPrefix}-captcha-image`}
                >
                  {t('captcha.failed')}
                </span>
              ) : (
                <span className="captcha__placeholder" data-testid={`${testIdPrefix}-captcha-image`}>
                  <Spinner size={14} />
                  <span className="visually-hidden">{t('captcha.loading')}</span>
                </span>
              )}
            </div>
            <button
              type="button"
              className="field__icon-button captcha__refresh"
              onClick={captcha.refresh}
              aria-label={t('captcha.refresh')}
              title={t('captcha.refresh')}
              data-testid={`${testIdPrefix}-captcha-refresh`}
              disabled={captcha.loading}
            >
              <RefreshIcon size={18} />
            </button>
          </div>
        }
      />
    </div>
  );
});

import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from './index';

type Props = { className?: string };

/**
 * One button that switches between 中文 and English. It names the language it switches *to*, in that
 * language, so a reader of either can find it.
 */
export function LanguageSwitch({ className }: Props) {
  const { t } = useTranslation();
  const next = currentLanguage() === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className={['lang-switch', className].filter(Boolean).join(' ')}
      data-testid="lang-switch"
      lang={next}
      aria-label={t('language.switchTo')}
      onClick={() => void setLanguage(next)}
    >
      <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false">
        <circle cx="10" cy="10" r="7.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <path
          d="M2.5 10h15M10 2.5c2.2 2.3 3.2 4.8 3.2 7.5s-1 5.2-3.2 7.5c-2.2-2.3-3.2-4.8-3.2-7.5s1-5.2 3.2-7.5z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
        />
      </svg>
      <span>{next === 'en' ? 'English' : '中文'}</span>
    </button>
  );
}

import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { BrandMark } from '../ui/BrandMark';

/** The ink bar across the top of every counter screen. */
export function CounterHeader({ children }: { children?: ReactNode }) {
  const { t } = useTranslation('counter');
  return (
    <header className="c-header on-dark">
      <div className="c-header__brand">
        <BrandMark size={28} />
        <span className="c-header__name">{t('brand.name', { ns: 'common' })}</span>
        <span className="c-header__system">{t('brand.counter', { ns: 'common' })}</span>
      </div>
      <div className="c-header__tools">
        {children}
        <LanguageSwitch className="lang-switch--ink" />
      </div>
    </header>
  );
}

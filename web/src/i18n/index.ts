import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { commonEn, commonZh } from './common';

/** The languages Jinku speaks; zh-CN is the default (DESIGN.md, "Both languages everywhere"). */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'jinku.lang';

type Messages = Record<string, unknown>;

/** The language the visitor chose before, or zh-CN. The browser's own language is not guessed. */
function storedLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // Storage can be unavailable (private mode, blocked cookies): fall back to the default.
  }
  return 'zh-CN';
}

function applyToDocument(language: string) {
  // No document when the login screens are pre-rendered at build time (app/shell/prerender.tsx).
  if (typeof document === 'undefined') return;
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
}

void i18n.use(initReactI18next).init({
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  ns: ['common'],
  defaultNS: 'common',
  resources: { 'zh-CN': { common: commonZh }, en: { common: commonEn } },
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
  react: { useSuspense: false },
});
applyToDocument(i18n.language);
i18n.on('languageChanged', applyToDocument);

/**
 * Registers an area's messages (each area's chunk brings its own, so the login page does not carry the
 * teller console's strings).
 */
export function addMessages(namespace: string, zh: Messages, en: Messages) {
  if (!i18n.hasResourceBundle('zh-CN', namespace)) i18n.addResourceBundle('zh-CN', namespace, zh, true, true);
  if (!i18n.hasResourceBundle('en', namespace)) i18n.addResourceBundle('en', namespace, en, true, true);
}

/** Switches the language, remembers it for the next visit, and leaves the current page as it is. */
export async function setLanguage(language: Language) {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but still switched for this visit.
  }
  await i18n.changeLanguage(language);
}

/** The current language as one of ours. */
export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export { i18n };

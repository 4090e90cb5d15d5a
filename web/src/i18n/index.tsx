import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { enUS } from './en-US';
import { type MessageKey, zhCN } from './zh-CN';

export type { MessageKey };
export type Lang = 'zh-CN' | 'en-US';
export type Vars = Record<string, string | number>;
/** Translates a dictionary key, filling `{name}` placeholders. */
export type TFunction = (key: MessageKey, vars?: Vars) => string;

const STORAGE_KEY = 'huitong.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, 'en-US': enUS };

type I18nValue = {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: TFunction;
  /** Translates a key built from server data (e.g. `deptKind.${kind}`), or returns the fallback. */
  tMaybe: (key: string, fallback: string) => string;
  /** Picks the Chinese or English name of a bilingual record. */
  pick: (zh: string | null | undefined, en: string | null | undefined) => string;
};

const I18nContext = createContext<I18nValue | null>(null);

function initialLang(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'zh-CN' || stored === 'en-US') return stored;
  } catch {
    /* storage unavailable: keep the default */
  }
  return 'zh-CN';
}

function fill(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** Holds the UI language; Chinese unless the user chose English before. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* not persisted, still switched */
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18nValue>(() => {
    const dict = dictionaries[lang];
    const t: TFunction = (key, vars) => fill(dict[key] ?? key, vars);
    const tMaybe = (key: string, fallback: string) =>
      Object.hasOwn(dict, key) ? dict[key as MessageKey] : fallback;
    const pick = (zh: string | null | undefined, en: string | null | undefined) =>
      (lang === 'en-US' ? en || zh : zh || en) ?? '';
    return { lang, setLang, t, tMaybe, pick };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The whole i18n context (language, switcher, helpers). */
export function useI18n(): I18nValue {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

/** The translate function. */
export function useT(): TFunction {
  return useI18n().t;
}

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { dictionaries, formatters, type Formatters, type Language, type Strings } from './strings';

const LANGUAGE_KEY = 'bazaar.language';

interface LanguageContext {
  language: Language;
  t: Strings;
  format: Formatters;
  setLanguage(language: Language): void;
}

function remembered(): Language {
  return localStorage.getItem(LANGUAGE_KEY) === 'ur' ? 'ur' : 'en';
}

const Context = createContext<LanguageContext | null>(null);

/**
 * The language of the whole app, remembered on the device. Urdu turns the
 * document right-to-left, so the layout mirrors through CSS logical properties.
 */
export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(remembered);
  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dir = language === 'ur' ? 'rtl' : 'ltr';
    document.title = dictionaries[language].appName;
  }, [language]);
  // Urdu's own face, declared in either language: product names are shown in Urdu beside English too, and a phone
  // lacking a Nastaliq or Naskh font shows boxes for letters such as ہ ے ۔ (seen on a product row in English).
  // A declared face is fetched only once text in it is drawn, and the service worker precaches it for offline.
  useEffect(() => {
    void import('@fontsource/noto-nastaliq-urdu/arabic-400.css');
  }, []);
  const value = useMemo<LanguageContext>(
    () => ({
      language,
      t: dictionaries[language],
      format: formatters(language),
      setLanguage: (next) => {
        localStorage.setItem(LANGUAGE_KEY, next);
        setLanguageState(next);
      },
    }),
    [language],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useLanguage(): LanguageContext {
  const context = useContext(Context);
  if (!context) throw new Error('useLanguage outside LanguageProvider');
  return context;
}

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Locale, T } from '../i18n/index.ts';
import type { Actor } from '../auth/roles.ts';
import type { Commune } from '../tenancy/index.ts';

export interface NavItem { key: string; path: string; order: number; permission?: string; /** The module that adds it (set by app.ts: hidden where the commune turned the module off). */ module?: string }

/** Everything a component needs to know about the request it renders for. */
export interface View {
  locale: Locale;
  t: T;
  /** The path after the locale, e.g. `/bodies/steering`, so the language switch keeps the page. */
  path: string;
  query: string;
  actor: Actor | null;
  commune: Commune;
  csrf: () => string;
  /** The path form's prefix (`/c/slug`) or ''; core prefixes root-relative links of the page with it. */
  base?: string;
  flash?: { kind: 'success' | 'error' | 'info'; text: string };
  nav: NavItem[];
  can: (permission: string) => boolean;
  /** The commune's public address (absolute links: hreflang, canonical, feeds). */
  origin: string;
  /** The page's summary for search engines and link previews (meta description); a default otherwise. */
  description?: string;
}

export const ViewContext = createContext<View>(null as unknown as View);
export const useView = (): View => useContext(ViewContext);

/** Link to a page in the current locale. */
export function href(view: Pick<View, 'locale'>, path: string): string {
  return `/${view.locale}${path.startsWith('/') ? path : `/${path}`}`;
}

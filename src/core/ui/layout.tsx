import type { ComponentChildren } from 'preact';
import { useView, href } from './view.ts';
import { LOCALES, dir, tr, type Locale } from '../i18n/index.ts';
import { can } from '../auth/roles.ts';

const NATIVE: Record<Locale, string> = { fr: 'Français', ar: 'العربية', en: 'English' };

export function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  const view = useView();
  const { t, locale, commune, actor } = view;
  const communeName = tr(commune.name, locale);
  const suffix = view.query ? `?${view.query}` : '';
  const staff = !!actor && actor.grants.some((g) => g.role !== 'citizen');
  // Only the languages the commune publishes in (its settings), in the platform's order.
  const langs = LOCALES.filter((l) => commune.settings.languages.includes(l));
  const colored = !!(commune.settings.colors.primary || commune.settings.colors.accent);
  return (
    <html lang={locale} dir={dir(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${communeName}`}</title>
        <meta name="description" content={view.description || t('layout.description', { commune: communeName })} />
        <link rel="stylesheet" href="/static/site.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="canonical" href={`${view.origin}/${locale}${view.path}${suffix}`} />
        {/* The same page in every language, absolute (search engines ignore relative hreflang links), and the default. */}
        {langs.map((l) => <link rel="alternate" hrefLang={l} href={`${view.origin}/${l}${view.path}${suffix}`} />)}
        <link rel="alternate" hrefLang="x-default" href={`${view.origin}/${commune.settings.defaultLocale}${view.path}${suffix}`} />
        {colored && <link rel="stylesheet" href={`/theme.css?v=${encodeURIComponent((commune.settings.colors.primary ?? '') + (commune.settings.colors.accent ?? ''))}`} />}
      </head>
      <body>
        <a class="skip-link" href="#main">{t('layout.skip')}</a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href={href(view, '/')}>
              {commune.settings.logo && <img class="brand-logo" src={`/logo.png?v=${commune.settings.logo}`} alt="" width={48} height={48} />}
              <span class="brand-name">{communeName}</span>
              <span class="brand-sub">{t('layout.platform')}</span>
            </a>
            {view.path !== '/search' && (
              // The platform-wide search (the site module's page): a GET form, no script needed.
              <form method="get" action={href(view, '/search')} role="search" class="header-search" aria-label={t('layout.searchLabel')}>
                <label for="header-q" class="visually-hidden">{t('layout.searchLabel')}</label>
                <input type="search" id="header-q" name="q" maxLength={200} dir="auto" enterkeyhint="search" />
                <button type="submit" class="button secondary">{t('layout.search')}</button>
              </form>
            )}
            <div class="header-tools">
              <nav aria-label={t('layout.languages')} class="langs">
                <ul>
                  {langs.map((l) => (
                    <li><a href={`/${l}${view.path}${suffix}`} lang={l} hrefLang={l} aria-current={l === locale ? 'true' : undefined}>{NATIVE[l]}</a></li>
                  ))}
                </ul>
              </nav>
              <nav aria-label={t('layout.account')} class="account">
                <ul>
                  {actor ? (
                    <>
                      {staff && <li><a href={href(view, '/admin')}>{t('layout.admin')}</a></li>}
                      <li><a href={href(view, '/account')}>{actor.name}</a></li>
                      <li>
                        <form method="post" action={href(view, '/logout')} class="inline">
                          <input type="hidden" name="_csrf" value={view.csrf()} />
                          <button type="submit" class="link">{t('layout.logout')}</button>
                        </form>
                      </li>
                    </>
                  ) : (
                    <>
                      <li><a href={href(view, '/login')}>{t('layout.login')}</a></li>
                      <li><a href={href(view, '/register')}>{t('layout.register')}</a></li>
                    </>
                  )}
                </ul>
              </nav>
            </div>
          </div>
          <nav aria-label={t('layout.mainNav')} class="main-nav">
            <ul class="wrap">
              {view.nav.filter((n) => !n.permission || can(actor, n.permission)).map((n) => (
                <li><a href={href(view, n.path)} aria-current={view.path === n.path || view.path.startsWith(`${n.path}/`) ? 'page' : undefined}>{t(n.key)}</a></li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          <div class="wrap">
            {view.flash && <div class={`flash ${view.flash.kind}`} role="status">{view.flash.text}</div>}
            {children}
          </div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{t('layout.footer', { commune: communeName })}</p>
            <ul>
              <li><a href={href(view, '/about')}>{t('layout.about')}</a></li>
              <li><a href={href(view, '/open-data')}>{t('layout.openData')}</a></li>
            </ul>
          </div>
        </footer>
      </body>
    </html>
  );
}

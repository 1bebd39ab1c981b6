import { useView, href } from '../../core/ui/view.ts';
import { Breadcrumbs, Table, Form, Field, Select, Choices, Button, ErrorSummary, type FormState } from '../../core/ui/components.tsx';
import { LOCALES, tr, formatDate } from '../../core/i18n/index.ts';
import type { Commune } from '../../core/tenancy/index.ts';
import { LOGO_EDGE } from './service.ts';

const NATIVE: Record<string, string> = { fr: 'Français', ar: 'العربية', en: 'English' };

export function CommunesPage({ communes, form }: { communes: (Commune & { createdAt: string })[]; form: FormState }) {
  const view = useView();
  const { t, locale } = view;
  const labels = { slug: t('platform.slug'), name_fr: t('platform.nameFr'), name_ar: t('platform.nameAr'), name_en: t('platform.nameEn'), hosts: t('platform.hosts'), population: t('platform.population'), admin_email: t('platform.adminEmail') };
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('platform.communes') }]} />
      <h1>{t('platform.communes')}</h1>
      <p class="lead">{t('platform.intro')}</p>
      <Table caption={t('platform.communesCount', { count: communes.length })} numeric={[3]}
        head={[t('platform.name'), t('platform.slug'), t('platform.hosts'), t('platform.population'), t('platform.status'), t('platform.created')]}
        rows={communes.map((c) => [
          <a href={href(view, `/operator/communes/${c.slug}`)}>{tr(c.name, locale)}</a>, <code dir="ltr">{c.slug}</code>,
          <span dir="ltr">{c.hosts.join(' ') || `/c/${c.slug}`}</span>, c.population === null ? '' : c.population.toLocaleString(locale),
          t(`platform.statuses.${c.status}`), formatDate(locale, c.createdAt)])} />
      <h2 id="new">{t('platform.create')}</h2>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, '/operator/communes')}>
        <Field name="slug" label={labels.slug} hint={t('platform.slugHint')} form={form} required dir="ltr" maxlength={64} />
        <Field name="name_fr" label={labels.name_fr} form={form} required maxlength={120} />
        <Field name="name_ar" label={labels.name_ar} form={form} dir="rtl" maxlength={120} />
        <Field name="name_en" label={labels.name_en} form={form} maxlength={120} />
        <Field name="hosts" label={labels.hosts} hint={t('platform.hostsHint')} form={form} dir="ltr" maxlength={500} />
        <Field name="population" label={labels.population} form={form} inputmode="numeric" />
        <Field name="admin_email" label={labels.admin_email} hint={t('platform.adminEmailHint')} form={form} type="email" autocomplete="off" dir="ltr" />
        <Button>{t('platform.createButton')}</Button>
      </Form>
    </section>
  );
}

export interface CommuneForms { settings?: FormState; status?: FormState; invite?: FormState; logo?: FormState }

export function settingsValues(c: Commune): Record<string, unknown> {
  return {
    name_fr: c.name.fr ?? '', name_ar: c.name.ar ?? '', name_en: c.name.en ?? '', hosts: c.hosts.join(' '), population: c.population ?? '',
    languages: c.settings.languages, default_locale: c.settings.defaultLocale, time_zone: c.settings.timeZone,
    color_primary: c.settings.colors.primary ?? '', color_accent: c.settings.colors.accent ?? '', modules_off: c.settings.modulesOff,
  };
}

export function CommunePage({ commune: c, forms, toggleable, origin }: { commune: Commune; forms: CommuneForms; toggleable: string[]; origin: string }) {
  const view = useView();
  const { t, locale } = view;
  const settings = forms.settings ?? { values: settingsValues(c), errors: {} };
  const status = forms.status ?? { values: {}, errors: {} };
  const invite = forms.invite ?? { values: { locale: c.settings.defaultLocale }, errors: {} };
  const logo = forms.logo ?? { values: {}, errors: {} };
  const labels = {
    name_fr: t('platform.nameFr'), name_ar: t('platform.nameAr'), name_en: t('platform.nameEn'), hosts: t('platform.hosts'), population: t('platform.population'),
    languages: t('platform.languages'), default_locale: t('platform.defaultLocale'), time_zone: t('platform.timeZone'), color_primary: t('platform.colorPrimary'),
    color_accent: t('platform.colorAccent'), modules_off: t('platform.modulesOff'), status: t('platform.status'), email: t('platform.adminEmail'), locale: t('platform.inviteLocale'), logo: t('platform.logo'),
  };
  const base = `/operator/communes/${c.slug}`;
  const langOptions = LOCALES.map((l) => ({ value: l, label: NATIVE[l] }));
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('platform.communes'), path: '/operator/communes' }, { label: tr(c.name, locale) }]} />
      <h1>{tr(c.name, locale)}</h1>
      <p>{t('platform.statusIs', { status: t(`platform.statuses.${c.status}`) })} · <a href={`${origin}/${c.settings.defaultLocale}/`} dir="ltr">{origin}</a></p>

      <h2>{t('platform.settings')}</h2>
      <ErrorSummary form={settings} labels={labels} />
      <Form action={href(view, base)}>
        <Field name="name_fr" label={labels.name_fr} form={settings} required maxlength={120} />
        <Field name="name_ar" label={labels.name_ar} form={settings} dir="rtl" maxlength={120} />
        <Field name="name_en" label={labels.name_en} form={settings} maxlength={120} />
        <Field name="hosts" label={labels.hosts} hint={t('platform.hostsHint')} form={settings} dir="ltr" maxlength={500} />
        <Field name="population" label={labels.population} form={settings} inputmode="numeric" />
        <Choices name="languages" label={labels.languages} form={settings} multiple options={langOptions} />
        <Select name="default_locale" label={labels.default_locale} form={settings} options={langOptions} />
        <Field name="time_zone" label={labels.time_zone} hint={t('platform.timeZoneHint')} form={settings} dir="ltr" maxlength={64} />
        <Field name="color_primary" label={labels.color_primary} hint={t('platform.colorHint')} form={settings} dir="ltr" maxlength={7} />
        <Field name="color_accent" label={labels.color_accent} hint={t('platform.colorHint')} form={settings} dir="ltr" maxlength={7} />
        <Choices name="modules_off" label={labels.modules_off} hint={t('platform.modulesOffHint')} form={settings} multiple
          options={toggleable.map((m) => ({ value: m, label: t(`platform.modules.${m}`, { defaultValue: m }) }))} />
        <Button>{t('platform.save')}</Button>
      </Form>

      <h2>{t('platform.logo')}</h2>
      <ErrorSummary form={logo} labels={labels} />
      {c.settings.logo && <p><img src={`${href(view, base)}/logo.png?v=${c.settings.logo}`} alt={t('platform.currentLogo')} width={96} height={96} /></p>}
      <Form action={href(view, `${base}/logo`)} enctype="multipart/form-data">
        <div class={`field${logo.errors.logo ? ' has-error' : ''}`}>
          <label for="f-logo">{labels.logo}</label>
          <p class="hint" id="h-logo">{t('platform.logoHint', { edge: LOGO_EDGE })}</p>
          {logo.errors.logo && <p class="field-error" id="e-logo">{t(logo.errors.logo.key, logo.errors.logo.params as any)}</p>}
          <input type="file" id="f-logo" name="logo" accept="image/png,image/jpeg,image/webp" aria-describedby={logo.errors.logo ? 'h-logo e-logo' : 'h-logo'} />
        </div>
        <Button kind="secondary">{t('platform.uploadLogo')}</Button>
      </Form>

      <h2>{t('platform.inviteTitle')}</h2>
      <p>{t('platform.inviteIntro')}</p>
      <ErrorSummary form={invite} labels={labels} />
      <Form action={href(view, `${base}/invite`)}>
        <Field name="email" label={labels.email} form={invite} type="email" required autocomplete="off" dir="ltr" />
        <Select name="locale" label={labels.locale} form={invite} options={langOptions} />
        <Button kind="secondary">{t('platform.inviteButton')}</Button>
      </Form>

      <h2>{t('platform.statusTitle')}</h2>
      <ErrorSummary form={status} labels={labels} />
      <p>{t('platform.statusHelp')}</p>
      <Form action={href(view, `${base}/status`)}>
        {c.status !== 'active' && c.status !== 'archived' && <Button kind="secondary" name="status" value="active">{t('platform.resume')}</Button>}
        {c.status === 'active' && <Button kind="secondary" name="status" value="suspended">{t('platform.suspend')}</Button>}
        {c.status !== 'archived' && <Button kind="danger" name="status" value="archived">{t('platform.archive')}</Button>}
      </Form>
    </section>
  );
}

import { useView, href } from '../../core/ui/view.ts';
import { ErrorSummary, Field, Form, Button, Select, Table, Pager, Breadcrumbs, Tr, type FormState } from '../../core/ui/components.tsx';
import { ROLES } from '../../core/auth/roles.ts';
import { formatDate, parseTranslated } from '../../core/i18n/index.ts';

export function LoginPage({ form, next }: { form: FormState; next: string }) {
  const view = useView();
  const { t } = view;
  const labels = { email: t('accounts.email'), password: t('accounts.password') };
  return (
    <section class="narrow">
      <h1>{t('accounts.loginTitle')}</h1>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, '/login')}>
        <input type="hidden" name="next" value={next} />
        <Field name="email" type="email" label={labels.email} form={form} required autocomplete="username" dir="ltr" />
        <Field name="password" type="password" label={labels.password} form={form} required autocomplete="current-password" dir="ltr" />
        <div class="actions"><Button>{t('accounts.loginButton')}</Button></div>
      </Form>
      <p><a href={href(view, '/password/forgot')}>{t('accounts.forgotLink')}</a></p>
      <p>{t('accounts.noAccount')} <a href={href(view, '/register')}>{t('accounts.registerLink')}</a></p>
    </section>
  );
}

export function RegisterPage({ form }: { form: FormState }) {
  const view = useView();
  const { t } = view;
  const labels = { name: t('accounts.name'), email: t('accounts.email'), password: t('accounts.password') };
  return (
    <section class="narrow">
      <h1>{t('accounts.registerTitle')}</h1>
      <p class="lead">{t('accounts.registerIntro')}</p>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, '/register')}>
        <Field name="name" label={labels.name} form={form} required autocomplete="name" hint={t('accounts.nameHint')} />
        <Field name="email" type="email" label={labels.email} form={form} required autocomplete="email" dir="ltr" hint={t('accounts.emailHint')} />
        <Field name="password" type="password" label={labels.password} form={form} required autocomplete="new-password" dir="ltr" hint={t('accounts.passwordHint')} />
        <div class="actions"><Button>{t('accounts.registerButton')}</Button></div>
      </Form>
    </section>
  );
}

export function ForgotPage({ form, sent }: { form: FormState; sent: boolean }) {
  const view = useView();
  const { t } = view;
  return (
    <section class="narrow">
      <h1>{t('accounts.forgotTitle')}</h1>
      {sent ? <p class="flash info" role="status">{t('accounts.forgotSent')}</p> : <p class="lead">{t('accounts.forgotIntro')}</p>}
      <ErrorSummary form={form} labels={{ email: t('accounts.email') }} />
      <Form action={href(view, '/password/forgot')}>
        <Field name="email" type="email" label={t('accounts.email')} form={form} required autocomplete="email" dir="ltr" />
        <div class="actions"><Button>{t('accounts.forgotButton')}</Button></div>
      </Form>
    </section>
  );
}

export function ResetPage({ form, token, valid }: { form: FormState; token: string; valid: boolean }) {
  const view = useView();
  const { t } = view;
  if (!valid) {
    return (
      <section class="narrow">
        <h1>{t('accounts.resetTitle')}</h1>
        <p class="flash error" role="alert">{t('accounts.resetInvalid')}</p>
        <p><a href={href(view, '/password/forgot')}>{t('accounts.forgotLink')}</a></p>
      </section>
    );
  }
  return (
    <section class="narrow">
      <h1>{t('accounts.resetTitle')}</h1>
      <ErrorSummary form={form} labels={{ password: t('accounts.newPassword') }} />
      <Form action={href(view, `/password/reset/${encodeURIComponent(token)}`)}>
        <Field name="password" type="password" label={t('accounts.newPassword')} form={form} required autocomplete="new-password" dir="ltr" hint={t('accounts.passwordHint')} />
        <div class="actions"><Button>{t('accounts.resetButton')}</Button></div>
      </Form>
    </section>
  );
}

export function AccountPage({ grants }: { grants: { role: string; institution_name: string | null }[] }) {
  const view = useView();
  const { t, actor } = view;
  return (
    <section>
      <h1>{t('accounts.accountTitle')}</h1>
      <dl class="kv">
        <dt>{t('accounts.name')}</dt><dd>{actor?.name}</dd>
        <dt>{t('accounts.email')}</dt><dd dir="ltr">{actor?.email}</dd>
        <dt>{t('accounts.roles')}</dt>
        <dd><ul class="tags">{grants.map((g) => <li>{t(`roles.${g.role}`)}{g.institution_name && <> — <Tr value={parseTranslated(g.institution_name)} /></>}</li>)}</ul></dd>
      </dl>
    </section>
  );
}

export function UsersPage({ users, total, page, q, pageSize }: { users: { id: number; email: string; name: string; roles: string[]; created_at: string }[]; total: number; page: number; q: string; pageSize: number }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('accounts.usersTitle') }]} />
      <h1>{t('accounts.usersTitle')}</h1>
      <form method="get" action={href(view, '/admin/users')} class="filters" role="search">
        <Field name="q" type="search" label={t('accounts.searchUsers')} form={{ values: { q }, errors: {} }} />
        <div class="actions"><Button kind="secondary">{t('common.search')}</Button></div>
      </form>
      <Table caption={t('accounts.usersCount', { count: total })}
        head={[t('accounts.name'), t('accounts.email'), t('accounts.roles'), t('accounts.createdAt')]}
        rows={users.map((u) => [
          <a href={href(view, `/admin/users/${u.id}`)}>{u.name}</a>,
          <span dir="ltr">{u.email}</span>,
          u.roles.map((r) => t(`roles.${r}`)).join(', '),
          formatDate(locale, u.created_at),
        ])} />
      <Pager page={page} pageSize={pageSize} total={total} base={`/admin/users${q ? `?q=${encodeURIComponent(q)}` : ''}`} />
    </section>
  );
}

export function UserPage({ user, grants, institutions, form }: {
  user: { id: number; email: string; name: string };
  grants: { id: number; role: string; institution_name: string | null }[];
  institutions: { id: number; kind: string; name: string }[];
  form: FormState;
}) {
  const view = useView();
  const { t, locale } = view;
  const labels = { role: t('accounts.role'), institution_id: t('accounts.institution') };
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('accounts.usersTitle'), path: '/admin/users' }, { label: user.name }]} />
      <h1>{user.name}</h1>
      <p dir="ltr" class="muted">{user.email}</p>
      <h2>{t('accounts.currentRoles')}</h2>
      <Table caption={t('accounts.currentRoles')} head={[t('accounts.role'), t('accounts.institution'), t('common.actions')]}
        rows={grants.map((g) => [
          t(`roles.${g.role}`),
          g.institution_name ? <Tr value={parseTranslated(g.institution_name)} /> : '—',
          <Form action={href(view, `/admin/users/${user.id}/grants/${g.id}/revoke`)} class="inline">
            <Button kind="danger">{t('accounts.revoke')}<span class="visually-hidden"> — {t(`roles.${g.role}`)}</span></Button>
          </Form>,
        ])} />
      <h2>{t('accounts.grantTitle')}</h2>
      <ErrorSummary form={form} labels={labels} />
      <Form action={href(view, `/admin/users/${user.id}/grants`)}>
        <Select name="role" label={labels.role} form={form} required blank={t('common.choose')} options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        <Select name="institution_id" label={labels.institution_id} hint={t('accounts.institutionHint')} form={form} blank={t('common.none')}
          options={institutions.map((i) => ({ value: String(i.id), label: `${t(`institutions.kind.${i.kind}`)} — ${parseTranslated(i.name)[locale] ?? parseTranslated(i.name).fr ?? ''}` }))} />
        <div class="actions"><Button>{t('accounts.grant')}</Button></div>
      </Form>
    </section>
  );
}

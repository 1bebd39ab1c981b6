import type { FastifyInstance } from 'fastify';
import { useView, href, type NavItem } from '../../core/ui/view.ts';
import { Breadcrumbs, Table, Pager } from '../../core/ui/components.tsx';
import { can } from '../../core/auth/roles.ts';
import { auditPage } from './service.ts';
import { UnauthenticatedError, ForbiddenError } from '../../core/http/errors.ts';
import { pageParam } from '../../core/http/form-route.ts';
import { formatDate } from '../../core/i18n/index.ts';

export const AUDIT_PAGE = 50;

/** The staff home lists every admin page the signed-in role may open. */
function AdminHome({ entries }: { entries: NavItem[] }) {
  const view = useView();
  const { t } = view;
  return (
    <section>
      <h1>{t('admin.home')}</h1>
      <p class="lead">{t('admin.intro', { name: view.actor?.name })}</p>
      {entries.length === 0 ? <p>{t('admin.nothing')}</p> : (
        <ul class="cards">
          {entries.map((e) => <li class="card"><h2><a href={href(view, e.path)}>{t(e.key)}</a></h2></li>)}
        </ul>
      )}
    </section>
  );
}

type AuditRow = { id: number; at: string; actor_name: string | null; action: string; entity: string; entity_id: string | null; hash: string };

function AuditPage({ rows, total, page }: { rows: AuditRow[]; total: number; page: number }) {
  const view = useView();
  const { t, locale } = view;
  return (
    <section>
      <Breadcrumbs items={[{ label: t('admin.home'), path: '/admin' }, { label: t('admin.audit') }]} />
      <h1>{t('admin.audit')}</h1>
      <p>{t('admin.auditIntro')}</p>
      <Table caption={t('admin.auditCount', { count: total })} numeric={[0]}
        head={['#', t('admin.when'), t('admin.who'), t('admin.action'), t('admin.entity'), t('admin.hash')]}
        rows={rows.map((r) => [String(r.id), formatDate(locale, r.at, true), r.actor_name ?? t('admin.system'), <code>{r.action}</code>, `${r.entity}${r.entity_id ? ` ${r.entity_id}` : ''}`, <code dir="ltr">{r.hash.slice(0, 12)}…</code>])} />
      <Pager page={page} pageSize={AUDIT_PAGE} total={total} base="/admin/audit" />
    </section>
  );
}

export function adminPages(entries: () => NavItem[]) {
  return async (app: FastifyInstance) => {
    app.get('/admin', async (req, reply) => {
      if (!req.actor) throw new UnauthenticatedError();
      const visible = entries().filter((e) => !e.permission || can(req.actor, e.permission));
      if (visible.length === 0) throw new ForbiddenError();
      return reply.page(req.t('admin.home'), <AdminHome entries={visible} />);
    });
    app.get('/admin/audit', async (req, reply) => {
      const page = pageParam(req.query);
      const { rows, total } = await auditPage(req.ctx, page, AUDIT_PAGE);
      return reply.page(req.t('admin.audit'), <AuditPage rows={rows} total={total} page={page} />);
    });
  };
}

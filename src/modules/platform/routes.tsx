import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { emptyForm, type FormState } from '../../core/ui/components.tsx';
import { submitForm } from '../../core/http/form-route.ts';
import { publicOrigin } from '../../core/http/origin.ts';
import { storagePath } from '../../core/files/index.ts';
import { PUBLIC_DIR } from '../../core/paths.ts';
import nodePath from 'node:path';

const DEFAULT_LOGO = nodePath.join(PUBLIC_DIR, 'favicon.png');
import { LOCALES, type T } from '../../core/i18n/index.ts';
import type { Commune } from '../../core/tenancy/index.ts';
import type { OpenDataExport } from '../../core/module.ts';
import * as svc from './service.ts';
import { CommunesPage, CommunePage, type CommuneForms } from './views.tsx';
import { communeCatalog, catalogDocument, platformCatalog, multi } from './catalog.ts';
import { darken } from './contrast.ts';

type Req = FastifyRequest;
type Reply = FastifyReply;
const slugOf = (req: Req) => String((req.params as Record<string, string>).slug ?? '');

export interface PlatformDeps {
  exports: () => OpenDataExport[];
  toggleable: () => string[];
}

/** The operator's staff area: every commune of the installation, created, configured, suspended, archived. */
export function operatorPages(deps: PlatformDeps) {
  return async (app: FastifyInstance) => {
    /** The service call, then the tenancy reloaded (hosts, status and settings of this process's requests). */
    const andReload = <R,>(f: () => Promise<R>) => async () => { const r = await f(); await app.tenancy.reload(); return r; };
    const listPage = async (req: Req, reply: Reply, form: FormState = emptyForm(), status = 200) =>
      reply.noStore().page(req.t('platform.communes'), <CommunesPage communes={await svc.listCommunes(req.ctx)} form={form} />, status);
    app.get('/operator/communes', (req, reply) => listPage(req, reply));
    app.post('/operator/communes', (req, reply) => submitForm(req, reply, andReload(() => svc.createCommune(req.ctx, req.body)),
      (form, status) => listPage(req, reply, form, status),
      (c) => { reply.flash('success', 'platform.created'); return reply.to(`/operator/communes/${c.slug}`); }));

    const communePage = async (req: Req, reply: Reply, forms: CommuneForms = {}, status = 200) => {
      const c = await svc.getCommune(req.ctx, slugOf(req));
      return reply.noStore().page(c.name.fr ?? c.slug, <CommunePage commune={c} forms={forms} toggleable={deps.toggleable()} origin={publicOrigin(app.appConfig, c)} />, status);
    };
    const back = (req: Req, reply: Reply, key: string) => { reply.flash('success', key); return reply.to(`/operator/communes/${slugOf(req)}`); };
    app.get('/operator/communes/:slug', (req, reply) => communePage(req, reply));
    app.post('/operator/communes/:slug', (req, reply) => submitForm(req, reply, andReload(() => svc.updateSettings(req.ctx, slugOf(req), req.body, deps.toggleable())),
      (form, status) => communePage(req, reply, { settings: form }, status), () => back(req, reply, 'platform.saved')));
    app.post('/operator/communes/:slug/status', (req, reply) => submitForm(req, reply, andReload(() => svc.setStatus(req.ctx, slugOf(req), req.body)),
      (form, status) => communePage(req, reply, { status: form }, status), (c) => back(req, reply, `platform.statusDone.${c.status}`)));
    app.post('/operator/communes/:slug/invite', (req, reply) => submitForm(req, reply, andReload(() => svc.inviteAdmin(req.ctx, slugOf(req), req.body)),
      (form, status) => communePage(req, reply, { invite: form }, status), () => back(req, reply, 'platform.invited')));
    app.post('/operator/communes/:slug/logo', (req, reply) => submitForm(req, reply, andReload(() => svc.uploadLogo(req.ctx, slugOf(req), req.body, app.appConfig.dataDir)),
      (form, status) => communePage(req, reply, { logo: form }, status), () => back(req, reply, 'platform.logoSaved')));
    app.get('/operator/communes/:slug/logo.png', async (req, reply) => {
      const c = await svc.getCommune(req.ctx, slugOf(req));
      return sendLogo(reply.noStore(), app.appConfig.dataDir, c);
    });

    // The commune's open-data page as a DCAT-AP 3 catalog.
    app.get('/open-data/catalog.jsonld', async (req, reply) => {
      const node = await catalogOf(app, req, req.commune, deps.exports());
      return reply.type('application/ld+json; charset=utf-8').header('cache-control', 'public, max-age=300').send(JSON.stringify(catalogDocument(node)));
    });
  };
}

function translators(req: Req): Record<(typeof LOCALES)[number], T> {
  return Object.fromEntries(LOCALES.map((l) => [l, req.ctx.tFor(l)])) as Record<(typeof LOCALES)[number], T>;
}

const CATALOG_PATH = '/open-data/catalog.jsonld';

async function catalogOf(app: FastifyInstance, req: Req, c: Commune, exports: OpenDataExport[], changes?: Map<number, string>, created?: Map<number, string>) {
  const last = changes ?? await svc.lastChanges(app.database.db);
  const issued = created?.get(c.id) ?? (await svc.createdAt(app.database.db, c.slug)) ?? '1970-01-01T00:00:00.000Z';
  const now = req.ctx.clock.now().toISOString();
  return communeCatalog({
    commune: c, origin: publicOrigin(app.appConfig, c), exports: exports.filter((e) => e.path !== CATALOG_PATH),
    translators: translators(req), issued, modified: last.get(c.id) ?? issued, now,
  });
}

function sendLogo(reply: Reply, dataDir: string, c: Commune) {
  const logo = c.settings.logo;
  const file = logo ? storagePath(dataDir, c.id, logo.replace(/\.png$/, ''), 'png') : '';
  // Without a logo of its own, the platform's mark.
  const path = logo && fs.existsSync(file) ? file : DEFAULT_LOGO;
  return reply.type('image/png').header('x-content-type-options', 'nosniff').send(fs.createReadStream(path));
}

/** Root routes: the platform-wide catalog, the commune's theme colours and logo. */
export function platformRoutes(deps: PlatformDeps) {
  return async (app: FastifyInstance) => {
    app.get('/api/catalog.jsonld', async (req, reply) => {
      const communes = app.tenancy.all().filter((c) => c.status === 'active');
      const [changes, created] = await Promise.all([svc.lastChanges(app.database.db), svc.activeCreatedAt(app.database.db)]);
      const exports = deps.exports();
      const catalogs = await Promise.all(communes.map((c) => catalogOf(app, req, c, exports, changes, created)));
      const t = translators(req);
      const modified = [...changes.values()].sort().at(-1) ?? '1970-01-01T00:00:00.000Z';
      const doc = platformCatalog({
        origin: app.appConfig.baseUrl, title: multi((l) => t[l]('platform.platformCatalogTitle')), description: multi((l) => t[l]('platform.platformCatalogDescription', { count: catalogs.length })),
        modified, catalogs,
      });
      // Not kept by the page cache: that keys on one commune's data version, and this answer depends on every commune's.
      return reply.type('application/ld+json; charset=utf-8').header('cache-control', 'no-store').send(JSON.stringify(doc));
    });
    // The commune's colours, checked for contrast when they were set; linked from the layout only when set.
    app.get('/theme.css', async (req, reply) => {
      const { primary, accent } = req.commune.settings.colors;
      const css = [primary && `--primary: ${primary}; --primary-dark: ${darken(primary)};`, accent && `--success: ${accent};`].filter(Boolean).join(' ');
      return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(`:root { ${css} }\n`);
    });
    app.get('/logo.png', async (req, reply) => sendLogo(reply.header('cache-control', 'public, max-age=86400'), app.appConfig.dataDir, req.commune));
  };
}

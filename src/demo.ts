import type { Database } from './core/db/index.ts';
import type { Config } from './config.ts';
import { Tenancy, type Commune } from './core/tenancy/index.ts';
import { randomToken } from './core/auth/passwords.ts';
import { iso, systemClock } from './core/clock/index.ts';
import { appendAudit } from './core/audit/index.ts';
import { seedHolidays } from './core/clock/working-days.ts';
import type { Translated } from './core/i18n/index.ts';
import { insertUser, addUserWithRole } from './modules/accounts/service.ts';
import { modules } from './modules/index.ts';
import { systemCtx, searchSources } from './platform.ts';
import { rebuildIndex } from './core/search/index.ts';

export interface CommuneSpec { name: Translated; region?: Translated; population?: number; hosts?: string; sample?: boolean }

const TETOUAN: CommuneSpec = {
  name: { fr: 'Tétouan', ar: 'تطوان', en: 'Tétouan' },
  region: { fr: 'Tanger-Tétouan-Al Hoceïma', ar: 'جهة طنجة تطوان الحسيمة', en: 'Tanger-Tétouan-Al Hoceïma' },
  population: 380_000,
};

/** Creates a commune and its first administrator, whose one-time password is returned to print. */
export async function createCommune(database: Database, config: Config, slug: string, spec: CommuneSpec | null) {
  const password = randomToken(12);
  const adminEmail = `admin@${slug}.local`;
  const s = spec ?? { name: { fr: slug, ar: slug, en: slug } };
  // A new commune has no context yet: the process's clock.
  const now = systemClock.now();
  const communeId = await database.db.transaction().execute(async (trx) => {
    const { id } = await trx.insertInto('communes').values({
      slug, name: JSON.stringify(s.name), region: JSON.stringify(s.region ?? {}), population: s.population ?? null,
      hosts: s.hosts ?? '', sample: s.sample ? 1 : 0, created_at: iso(),
    }).returning('id').executeTakeFirstOrThrow();
    const userId = await insertUser(trx, id, { email: adminEmail, name: 'Administrateur', password }, now);
    await trx.insertInto('role_grants').values({ commune_id: id, user_id: userId, role: 'admin', institution_id: null, granted_by: null, created_at: iso() }).execute();
    const year = new Date().getUTCFullYear();
    await seedHolidays(trx, id, [year - 1, year, year + 1]);
    await appendAudit(trx, { communeId: id, actorId: null, action: 'commune.create', entity: 'commune', entityId: slug, after: { slug, name: s.name, admin: adminEmail } });
    return id;
  });
  return { adminEmail, password, communeId };
}

async function loadCommune(database: Database, config: Config, slug: string): Promise<Commune> {
  const tenancy = new Tenancy(database.db, slug);
  await tenancy.reload();
  return tenancy.bySlugOrNull(slug)!;
}

/** Sample staff accounts, one per role, so a newcomer can walk every journey. */
const DEMO_USERS: { email: string; name: string; role: string; institutionSlug?: string }[] = [
  { email: 'citoyen@tetouan.local', name: 'Fatima Zahra (exemple)', role: 'citizen' },
  { email: 'accueil@tetouan.local', name: 'Agent d’accueil (exemple)', role: 'counter_agent' },
  { email: 'travaux@tetouan.local', name: 'Service des travaux (exemple)', role: 'department_staff', institutionSlug: 'travaux' },
  { email: 'operateur@tetouan.local', name: 'Opérateur propreté (exemple)', role: 'operator_staff', institutionSlug: 'operateur-proprete' },
  { email: 'ogp@tetouan.local', name: 'Équipe technique OGP (exemple)', role: 'ogp_team' },
  { email: 'comite@tetouan.local', name: 'Membre du comité (exemple)', role: 'steering_member' },
  { email: 'atil@tetouan.local', name: 'ATIL, suivi indépendant (exemple)', role: 'monitor' },
  { email: 'moderation@tetouan.local', name: 'Modération (exemple)', role: 'moderator' },
  { email: 'mediation@tetouan.local', name: 'Médiation (exemple)', role: 'mediator' },
];

/** The Tétouan demo commune: the plan of the seed, its institutions and bodies, and sample accounts. */
export async function seedDemo(database: Database, config: Config) {
  const first = await createCommune(database, config, config.defaultCommune, TETOUAN);
  const commune = await loadCommune(database, config, config.defaultCommune);
  const ctx = await systemCtx(database, commune, config);
  for (const m of modules) if (m.demo) await m.demo(ctx);
  const demoPassword = randomToken(9);
  for (const u of DEMO_USERS) await addUserWithRole(ctx, { ...u, password: demoPassword });
  // The services indexed what they wrote; a full rebuild makes sure nothing a demo loaded around them is missing.
  await rebuildIndex(ctx, searchSources());
  return { adminEmail: first.adminEmail, password: first.password, demoPassword };
}

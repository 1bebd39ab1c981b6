import { z } from 'zod';
import type { Ctx } from '../../core/service.ts';
import { authorize, mutate } from '../../core/service.ts';
import { appendAudit, noteCommit } from '../../core/audit/index.ts';
import { parseInput, text, optionalText, optionalInt, email, oneOf, translatedFields, collectTranslated } from '../../core/http/forms.ts';
import { RuleError, NotFoundError } from '../../core/http/errors.ts';
import { hashPassword, randomToken, sha256 } from '../../core/auth/passwords.ts';
import { iso } from '../../core/clock/index.ts';
import { seedHolidays } from '../../core/clock/working-days.ts';
import { queueMail } from '../../core/mail/index.ts';
import { publicOrigin } from '../../core/http/origin.ts';
import { LOCALES, parseTranslated, tr, type Locale } from '../../core/i18n/index.ts';
import { parseSettings, COMMUNE_STATUSES, type Commune, type CommuneSettings, type CommuneStatus } from '../../core/tenancy/index.ts';
import { writeFile, isUpload, type Upload } from '../../core/files/index.ts';
import type { AnyDB } from '../../core/db/index.ts';
import { worstContrast, AA_TEXT } from './contrast.ts';
import * as repo from './repo.ts';

export const MANAGE = 'platform.manage';
/** How long a first administrator's invitation link stays valid. */
export const INVITE_DAYS = 7;

const normalizeEmail = (e: string) => e.trim().toLowerCase();
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

export const createSchema = z.object({
  slug: z.preprocess((v) => str(v).trim().toLowerCase(), z.string().min(1).max(64).regex(SLUG, { error: 'errors.format' })),
  ...translatedFields('name', 120),
  hosts: optionalText(500),
  population: optionalInt(0, 50_000_000),
  admin_email: z.preprocess((v) => str(v).trim(), z.union([z.literal(''), z.string().max(254).pipe(z.email())])),
});

export const settingsSchema = z.object({
  ...translatedFields('name', 120),
  hosts: optionalText(500),
  population: optionalInt(0, 50_000_000),
  languages: z.preprocess(list, z.array(z.enum(LOCALES)).min(1)),
  default_locale: oneOf(LOCALES),
  time_zone: z.preprocess((v) => str(v).trim(), z.string().min(1).max(64)),
  color_primary: optionalText(7),
  color_accent: optionalText(7),
  modules_off: z.preprocess(list, z.array(z.string().max(40)).max(40)),
});

export const inviteSchema = z.object({ email: email(), locale: oneOf(LOCALES) });
export const statusSchema = z.object({ status: oneOf(COMMUNE_STATUSES) });

/** The signed-in operator acting on another commune: the entries go to that commune's own audit chain. */
function onCommune(ctx: Ctx, c: Commune): Ctx {
  // The operator's account lives in another commune: its id means nothing in this chain (their email goes in the entry).
  return { ...ctx, commune: c, actor: ctx.actor ? { ...ctx.actor, userId: 0 } : null };
}

function toCommune(r: repo.CommuneRow): Commune {
  return {
    id: r.id, slug: r.slug, name: parseTranslated(r.name), region: parseTranslated(r.region), population: r.population,
    hosts: r.hosts.split(/\s+/).filter(Boolean), status: r.status as CommuneStatus, settings: parseSettings(r.settings),
  };
}

export async function listCommunes(ctx: Ctx) {
  authorize(ctx, MANAGE);
  return (await repo.listCommunes(ctx.db)).map((r) => ({ ...toCommune(r), createdAt: r.created_at }));
}

export async function getCommune(ctx: Ctx, slug: string): Promise<Commune> {
  authorize(ctx, MANAGE);
  const row = SLUG.test(slug) ? await repo.findCommune(ctx.db, slug) : undefined;
  if (!row) throw new NotFoundError();
  return toCommune(row);
}

/** Host names typed one per line or separated by spaces: each a valid DNS name held by no other commune. */
async function checkHosts(db: AnyDB, raw: string, slug: string): Promise<string> {
  const hosts = [...new Set(raw.toLowerCase().split(/[\s,]+/).filter(Boolean))];
  if (hosts.length > 10) throw new RuleError('platform.tooManyHosts', { max: 10 }, 'hosts');
  for (const h of hosts) if (!HOST.test(h)) throw new RuleError('platform.badHost', { host: h }, 'hosts');
  const owners = await repo.hostOwners(db);
  for (const h of hosts) { const o = owners.get(h); if (o && o !== slug) throw new RuleError('platform.hostTaken', { host: h, commune: o }, 'hosts'); }
  return hosts.join(' ');
}

/** Puts an invitation for the commune's first (or another) administrator in the outbox, in the commune's transaction. */
async function invite(trx: AnyDB, ctx: Ctx, c: Commune, address: string, locale: Locale): Promise<number> {
  const normalized = normalizeEmail(address);
  const now = ctx.clock.now();
  let user = await repo.findUserByEmail(trx, c.id, normalized);
  if (!user) {
    // No password anyone knows: the account is usable once its holder chooses one through the link.
    const { id } = await trx.insertInto('users').values({
      commune_id: c.id, email: address.trim(), email_normalized: normalized, name: address.split('@')[0], locale,
      password_hash: await hashPassword(randomToken(24)), disabled: 0, created_at: iso(now),
    }).returning('id').executeTakeFirstOrThrow();
    user = { id, email: address.trim(), name: address.split('@')[0], locale };
  }
  const grants = await trx.selectFrom('role_grants').select('role').where('commune_id', '=', c.id).where('user_id', '=', user.id).execute();
  if (!grants.some((g) => g.role === 'admin')) {
    await trx.insertInto('role_grants').values({ commune_id: c.id, user_id: user.id, role: 'admin', institution_id: null, granted_by: null, created_at: iso(now) }).execute();
  }
  const token = randomToken();
  await trx.insertInto('password_resets').values({
    commune_id: c.id, user_id: user.id, token_hash: sha256(token), expires_at: iso(new Date(now.getTime() + INVITE_DAYS * 86_400_000)), used_at: null,
  }).execute();
  const t = ctx.tFor(locale);
  const link = `${publicOrigin(ctx.config, c)}/${locale}/password/reset/${token}`;
  await queueMail(trx, {
    communeId: c.id, to: user.email,
    subject: t('platform.inviteSubject', { commune: tr(c.name, locale) }),
    text: t('platform.inviteBody', { commune: tr(c.name, locale), link, days: INVITE_DAYS }),
  });
  return user.id;
}

/** Creates a commune (its holidays, its audit chain's first entry) and, when given, invites its first administrator. */
export async function createCommune(ctx: Ctx, input: unknown): Promise<Commune> {
  const actor = authorize(ctx, MANAGE);
  const data = parseInput(createSchema, input);
  const name = collectTranslated(data, 'name');
  const now = ctx.clock.now();
  const created = await ctx.db.transaction().execute(async (trx) => {
    if (await repo.findCommune(trx, data.slug)) throw new RuleError('platform.slugTaken', {}, 'slug');
    const hosts = await checkHosts(trx, data.hosts, data.slug);
    const settings: Partial<CommuneSettings> = { languages: [...LOCALES], defaultLocale: 'fr' };
    const id = await repo.insertCommune(trx, { slug: data.slug, name: JSON.stringify(name), hosts, population: data.population, settings: JSON.stringify(settings), at: iso(now) });
    const commune = toCommune((await repo.findCommune(trx, data.slug))!);
    const y = now.getUTCFullYear();
    await seedHolidays(trx, id, [y - 1, y, y + 1]);
    await appendAudit(trx, { communeId: id, actorId: null, action: 'commune.create', entity: 'commune', entityId: data.slug, after: { slug: data.slug, name, hosts, population: data.population, operator: actor.email } });
    if (data.admin_email) {
      const userId = await invite(trx, ctx, commune, data.admin_email, 'fr');
      await appendAudit(trx, { communeId: id, actorId: null, action: 'commune.invite_admin', entity: 'user', entityId: userId, after: { operator: actor.email } });
    }
    return commune;
  });
  noteCommit(ctx.db, created.id);
  return created;
}

export async function inviteAdmin(ctx: Ctx, slug: string, input: unknown): Promise<void> {
  const c = await getCommune(ctx, slug);
  const data = parseInput(inviteSchema, input);
  const actor = ctx.actor!;
  if (c.status === 'archived') throw new RuleError('platform.archivedNoInvite');
  await mutate(onCommune(ctx, c), { permission: MANAGE, action: 'commune.invite_admin', entity: 'user' }, async (trx) => {
    const userId = await invite(trx, ctx, c, data.email, data.locale as Locale);
    return { result: undefined, entityId: userId, after: { operator: actor.email } };
  });
}

/** Names, hosts, population, languages, time zone, colours (WCAG AA or refused), modules turned off. */
export async function updateSettings(ctx: Ctx, slug: string, input: unknown, toggleable: string[]): Promise<Commune> {
  const c = await getCommune(ctx, slug);
  const data = parseInput(settingsSchema, input);
  const languages = LOCALES.filter((l) => data.languages.includes(l));
  if (!languages.includes(data.default_locale as Locale)) throw new RuleError('platform.defaultNotListed', {}, 'default_locale');
  try { new Intl.DateTimeFormat('en', { timeZone: data.time_zone }); } catch { throw new RuleError('platform.badTimeZone', {}, 'time_zone'); }
  const colors: CommuneSettings['colors'] = {};
  for (const [field, key] of [['color_primary', 'primary'], ['color_accent', 'accent']] as const) {
    const v = data[field].trim().toLowerCase();
    if (!v) continue;
    if (!/^#[0-9a-f]{6}$/.test(v)) throw new RuleError('platform.badColor', {}, field);
    const ratio = worstContrast(v);
    if (ratio < AA_TEXT) throw new RuleError('platform.lowContrast', { ratio: ratio.toFixed(2), min: AA_TEXT }, field);
    colors[key] = v;
  }
  const unknown = data.modules_off.find((m) => !toggleable.includes(m));
  if (unknown) throw new RuleError('errors.choice', {}, 'modules_off');
  const name = collectTranslated(data, 'name');
  const actor = ctx.actor!;
  return mutate(onCommune(ctx, c), { permission: MANAGE, action: 'commune.configure', entity: 'commune' }, async (trx) => {
    const hosts = await checkHosts(trx, data.hosts, c.slug);
    const settings: CommuneSettings = { ...c.settings, languages, defaultLocale: data.default_locale as Locale, timeZone: data.time_zone, colors, modulesOff: data.modules_off };
    await repo.updateCommune(trx, c.id, { name: JSON.stringify(name), hosts, population: data.population, settings: JSON.stringify(settings) });
    const before = { name: c.name, hosts: c.hosts.join(' '), population: c.population, settings: c.settings };
    return { result: { ...c, name, hosts: hosts.split(' ').filter(Boolean), population: data.population, settings }, entityId: c.slug, before, after: { name, hosts, population: data.population, settings, operator: actor.email } };
  });
}

/** Suspends (public 503, staff read only), resumes or archives a commune; archiving is final for its public site. */
export async function setStatus(ctx: Ctx, slug: string, input: unknown): Promise<Commune> {
  const c = await getCommune(ctx, slug);
  const { status } = parseInput(statusSchema, input);
  if (c.status === status) throw new RuleError('platform.sameStatus', {}, 'status');
  if (c.status === 'archived') throw new RuleError('platform.archivedFinal', {}, 'status');
  if (status !== 'active' && c.slug === ctx.config.defaultCommune) throw new RuleError('platform.defaultStays', {}, 'status');
  const actor = ctx.actor!;
  return mutate(onCommune(ctx, c), { permission: MANAGE, action: `commune.${status === 'active' ? 'resume' : status === 'suspended' ? 'suspend' : 'archive'}`, entity: 'commune' }, async (trx) => {
    await repo.updateCommune(trx, c.id, { status });
    return { result: { ...c, status: status as CommuneStatus }, entityId: c.slug, before: { status: c.status }, after: { status, operator: actor.email } };
  });
}

/** The logo: a PNG, JPEG or WebP by its content, resized to fit 192 px, metadata dropped, stored as PNG. */
export async function uploadLogo(ctx: Ctx, slug: string, body: unknown, dataDir: string): Promise<Commune> {
  const c = await getCommune(ctx, slug);
  const upload = (body as Record<string, unknown> | undefined)?.logo;
  if (!isUpload(upload) || upload.data.length === 0) throw new RuleError('errors.required', {}, 'logo');
  const data = await resizeLogo(upload);
  const actor = ctx.actor!;
  return mutate(onCommune(ctx, c), { permission: MANAGE, action: 'commune.logo', entity: 'commune' }, async (trx) => {
    const file = await writeFile(trx, dataDir, c.id, { data, kind: 'png', name: 'logo.png' }, null);
    const settings: CommuneSettings = { ...c.settings, logo: `${file.sha256}.png` };
    await repo.updateCommune(trx, c.id, { settings: JSON.stringify(settings) });
    return { result: { ...c, settings }, entityId: c.slug, after: { logo: settings.logo, operator: actor.email } };
  });
}

export const LOGO_EDGE = 192;

async function resizeLogo(upload: Upload): Promise<Buffer> {
  if (upload.truncated || upload.data.length > 2 * 1024 * 1024) throw new RuleError('errors.fileTooLarge', { max: 2 }, 'logo');
  const { sniff, IMAGE_KINDS } = await import('../../core/files/index.ts');
  const kind = sniff(upload.data);
  if (!kind || !IMAGE_KINDS.includes(kind)) throw new RuleError('errors.imageType', {}, 'logo');
  const { default: sharp } = await import('sharp');
  try {
    return await sharp(upload.data, { failOn: 'error', limitInputPixels: 25_000_000 })
      .rotate().resize({ width: LOGO_EDGE, height: LOGO_EDGE, fit: 'inside', withoutEnlargement: true }).png().toBuffer();
  } catch { throw new RuleError('errors.imageType', {}, 'logo'); }
}

// ---------- The CLI's verbs (the platform itself acts: no signed-in user) ----------

/** Grants the operator role to an email; only the CLI calls this. Audited in each commune where that email has an account. */
export async function grantOperator(ctx: Ctx, address: string): Promise<{ granted: boolean; communes: string[] }> {
  const normalized = normalizeEmail(address);
  if (!z.email().safeParse(normalized).success) throw new RuleError('errors.email', {}, 'email');
  const out = await ctx.db.transaction().execute(async (trx) => {
    const granted = await repo.grantOperator(trx, normalized, iso(ctx.clock.now()));
    const accounts = await repo.accountsOf(trx, normalized);
    if (granted) for (const a of accounts) await appendAudit(trx, { communeId: a.commune_id, actorId: null, action: 'operator.grant', entity: 'user', entityId: a.id, after: { operator: normalized } });
    return { granted, communes: accounts.map((a) => a.slug), ids: accounts.map((a) => a.commune_id) };
  });
  for (const id of out.ids) noteCommit(ctx.db, id);
  return { granted: out.granted, communes: out.communes };
}

export async function revokeOperator(ctx: Ctx, address: string): Promise<boolean> {
  const normalized = normalizeEmail(address);
  const out = await ctx.db.transaction().execute(async (trx) => {
    const revoked = await repo.revokeOperator(trx, normalized);
    const accounts = await repo.accountsOf(trx, normalized);
    if (revoked) for (const a of accounts) await appendAudit(trx, { communeId: a.commune_id, actorId: null, action: 'operator.revoke', entity: 'user', entityId: a.id, before: { operator: normalized } });
    return { revoked, ids: accounts.map((a) => a.commune_id) };
  });
  for (const id of out.ids) noteCommit(ctx.db, id);
  return out.revoked;
}

/** The platform acting as an operator (the CLI): authorized like one, audited with no user behind it. */
export function asPlatformOperator(ctx: Ctx): Ctx {
  return { ...ctx, actor: { userId: 0, communeId: ctx.commune.id, email: 'cli', name: 'cli', grants: [], operator: true } };
}

// ---------- Public reads for the catalogs (every commune's open data is public) ----------

/** Each commune's last change (its audit chain's head), for the catalogs' `modified`. */
export function lastChanges(db: AnyDB) { return repo.lastChanges(db); }
/** When each active commune was created, by id, for the catalogs' `issued`. */
export async function activeCreatedAt(db: AnyDB): Promise<Map<number, string>> {
  return new Map((await repo.listCommunes(db, { status: 'active' })).map((r) => [r.id, r.created_at]));
}
/** When one commune was created. */
export async function createdAt(db: AnyDB, slug: string): Promise<string | undefined> { return (await repo.findCommune(db, slug))?.created_at; }

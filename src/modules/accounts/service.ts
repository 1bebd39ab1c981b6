import { z } from 'zod';
import type { AnyDB } from '../../core/db/index.ts';
import { mutate, authorize, type Ctx } from '../../core/service.ts';
import { hashPassword, verifyPassword, DUMMY_HASH, randomToken, sha256 } from '../../core/auth/passwords.ts';
import { createSession, destroySession, destroyUserSessions } from '../../core/auth/sessions.ts';
import { isRole, SCOPED_ROLES, ROLES, type Role } from '../../core/auth/roles.ts';
import { RuleError, NotFoundError } from '../../core/http/errors.ts';
import { parseInput, email, text, oneOf, optionalInt } from '../../core/http/forms.ts';
import { queueMail } from '../../core/mail/index.ts';
import { iso } from '../../core/clock/index.ts';
import * as repo from './repo.ts';

export const normalizeEmail = (e: string) => e.trim().toLowerCase();

const password = () => z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().min(10).max(200));

export const registerSchema = z.object({ name: text(120), email: email(), password: password() });
export const loginSchema = z.object({ email: email(), password: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().min(1).max(200)) });
export const forgotSchema = z.object({ email: email() });
export const resetSchema = z.object({ password: password() });
export const grantSchema = z.object({ role: oneOf(ROLES), institution_id: optionalInt(1) });

/** Creates a user inside an existing transaction (used by registration, the CLI and the demo). */
export async function insertUser(trx: AnyDB, communeId: number, u: { email: string; name: string; password: string; locale?: string }, at: Date): Promise<number> {
  return repo.insertUser(trx, {
    commune_id: communeId, email: u.email.trim(), email_normalized: normalizeEmail(u.email), name: u.name,
    password_hash: await hashPassword(u.password), locale: u.locale ?? 'fr', created_at: iso(at),
  });
}

export async function register(ctx: Ctx, input: unknown): Promise<{ userId: number; token: string }> {
  const data = parseInput(registerSchema, input);
  return mutate(ctx, { permission: null, action: 'user.register', entity: 'user' }, async (trx) => {
    if (await repo.findUserByEmail(trx, ctx.commune.id, normalizeEmail(data.email))) throw new RuleError('accounts.emailTaken', {}, 'email');
    const userId = await insertUser(trx, ctx.commune.id, { ...data, locale: ctx.locale }, ctx.clock.now());
    await repo.insertGrant(trx, { commune_id: ctx.commune.id, user_id: userId, role: 'citizen', institution_id: null, granted_by: null, created_at: iso(ctx.clock.now()) });
    const token = await createSession(trx, ctx.commune.id, userId);
    return { result: { userId, token }, entityId: userId, after: { name: data.name } };
  });
}

/** Signs in; the same error whether the email is unknown or the password wrong. */
export async function login(ctx: Ctx, input: unknown): Promise<string> {
  const data = parseInput(loginSchema, input);
  const user = await repo.findUserByEmail(ctx.db, ctx.commune.id, normalizeEmail(data.email));
  const ok = await verifyPassword(data.password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) throw new RuleError('accounts.loginFailed');
  return mutate(ctx, { permission: null, action: 'session.login', entity: 'user' }, async (trx) => ({
    result: await createSession(trx, ctx.commune.id, user.id), entityId: user.id,
  }));
}

export async function logout(ctx: Ctx, token: string | undefined): Promise<void> {
  if (!token) return;
  await destroySession(ctx.db, ctx.commune.id, token);
}

export const RESET_MINUTES = 60;

/** Queues a reset link when the account exists; answers the same either way. */
export async function requestPasswordReset(ctx: Ctx, input: unknown, link: (token: string) => string): Promise<void> {
  const data = parseInput(forgotSchema, input);
  const user = await repo.findUserByEmail(ctx.db, ctx.commune.id, normalizeEmail(data.email));
  if (!user || user.disabled) return;
  const token = randomToken();
  await mutate(ctx, { permission: null, action: 'password.reset_requested', entity: 'user' }, async (trx) => {
    await repo.insertReset(trx, {
      commune_id: ctx.commune.id, user_id: user.id, token_hash: sha256(token), expires_at: iso(new Date(ctx.clock.now().getTime() + RESET_MINUTES * 60_000)),
    });
    const t = ctx.t;
    await queueMail(trx, { communeId: ctx.commune.id, at: ctx.clock.now(), to: user.email, subject: t('accounts.resetMailSubject'), text: t('accounts.resetMailBody', { name: user.name, link: link(token), minutes: RESET_MINUTES }) });
    return { result: undefined, entityId: user.id };
  });
}

/** A valid, unused, unexpired reset token, or null. */
export async function checkResetToken(ctx: Ctx, token: string): Promise<number | null> {
  const row = await repo.findReset(ctx.db, ctx.commune.id, sha256(token));
  if (!row || row.used_at || row.expires_at < iso(ctx.clock.now())) return null;
  return row.user_id;
}

export async function resetPassword(ctx: Ctx, token: string, input: unknown): Promise<void> {
  const data = parseInput(resetSchema, input);
  const hash = await hashPassword(data.password);
  await mutate(ctx, { permission: null, action: 'password.reset', entity: 'user' }, async (trx) => {
    const row = await repo.findReset(trx, ctx.commune.id, sha256(token));
    if (!row || row.used_at || row.expires_at < iso(ctx.clock.now())) throw new RuleError('accounts.resetInvalid');
    // Single use, even under two parallel submissions: only one update matches.
    if (!(await repo.useReset(trx, ctx.commune.id, row.id, iso(ctx.clock.now())))) throw new RuleError('accounts.resetInvalid');
    // The account's other outstanding links die with this one (an older mail must not reset it again).
    await repo.useResetsOf(trx, ctx.commune.id, row.user_id, iso(ctx.clock.now()));
    await repo.setPassword(trx, ctx.commune.id, row.user_id, hash);
    await destroyUserSessions(trx, ctx.commune.id, row.user_id);
    return { result: undefined, entityId: row.user_id };
  });
}

export async function listUsers(ctx: Ctx, q: string, page: number) {
  authorize(ctx, 'accounts.manage');
  return repo.listUsers(ctx.db, ctx.engine, ctx.commune.id, q, page);
}

export { PAGE_SIZE } from './repo.ts';

/** The signed-in user's own roles, for their account page. */
export async function ownGrants(ctx: Ctx) {
  const actor = authorize(ctx, 'accounts.self');
  return repo.grantsOf(ctx.db, ctx.commune.id, actor.userId);
}

/** The institutions a scoped role can be granted on (departments, operators). */
export async function grantableInstitutions(ctx: Ctx) {
  authorize(ctx, 'accounts.manage');
  return repo.institutionsOfKinds(ctx.db, ctx.commune.id, ['department', 'operator']);
}

export async function getUserWithGrants(ctx: Ctx, userId: number) {
  authorize(ctx, 'accounts.manage');
  const user = await repo.findUser(ctx.db, ctx.commune.id, userId);
  if (!user) throw new NotFoundError();
  return { user, grants: await repo.grantsOf(ctx.db, ctx.commune.id, userId) };
}

export async function grantRole(ctx: Ctx, userId: number, input: unknown): Promise<void> {
  authorize(ctx, 'accounts.grant');
  const data = parseInput(grantSchema, input);
  const role = data.role as Role;
  await mutate(ctx, { permission: 'accounts.grant', action: 'role.grant', entity: 'user' }, async (trx) => {
    if (!(await repo.findUser(trx, ctx.commune.id, userId))) throw new NotFoundError();
    const scope = SCOPED_ROLES[role];
    let institutionId: number | null = null;
    if (scope) {
      if (!data.institution_id) throw new RuleError('accounts.institutionRequired', {}, 'institution_id');
      const inst = await repo.findInstitution(trx, ctx.commune.id, data.institution_id);
      if (!inst || inst.kind !== scope) throw new RuleError(scope === 'department' ? 'accounts.departmentRequired' : 'accounts.operatorRequired', {}, 'institution_id');
      institutionId = inst.id;
    }
    const existing = await repo.grantsOf(trx, ctx.commune.id, userId);
    if (existing.some((g) => g.role === role && g.institution_id === institutionId)) throw new RuleError('accounts.alreadyGranted', {}, 'role');
    await repo.insertGrant(trx, { commune_id: ctx.commune.id, user_id: userId, role, institution_id: institutionId, granted_by: ctx.actor?.userId || null, created_at: iso(ctx.clock.now()) });
    return { result: undefined, entityId: userId, after: { role, institutionId } };
  });
}

export async function revokeRole(ctx: Ctx, userId: number, grantId: number): Promise<void> {
  await mutate(ctx, { permission: 'accounts.grant', action: 'role.revoke', entity: 'user' }, async (trx) => {
    const grant = (await repo.grantsOf(trx, ctx.commune.id, userId)).find((g) => g.id === grantId);
    if (!grant) throw new NotFoundError();
    if (grant.role === 'admin' && userId === ctx.actor?.userId) throw new RuleError('accounts.cannotRevokeOwnAdmin');
    await repo.deleteGrant(trx, ctx.commune.id, grantId);
    return { result: undefined, entityId: userId, before: { role: grant.role, institutionId: grant.institution_id } };
  });
}

/** Creates an account with a role, from the CLI or the demo (the caller's ctx must hold accounts.grant). */
export async function addUserWithRole(ctx: Ctx, u: { email: string; name: string; password: string; role: string; institutionSlug?: string }): Promise<number> {
  if (!isRole(u.role)) throw new RuleError('accounts.unknownRole', { role: u.role });
  return mutate(ctx, { permission: 'accounts.grant', action: 'user.create', entity: 'user' }, async (trx) => {
    if (await repo.findUserByEmail(trx, ctx.commune.id, normalizeEmail(u.email))) throw new RuleError('accounts.emailTaken', {}, 'email');
    let institutionId: number | null = null;
    const scope = SCOPED_ROLES[u.role as Role];
    if (scope) {
      const inst = u.institutionSlug ? await repo.findInstitutionBySlug(trx, ctx.commune.id, u.institutionSlug) : undefined;
      if (!inst || inst.kind !== scope) throw new RuleError(scope === 'department' ? 'accounts.departmentRequired' : 'accounts.operatorRequired');
      institutionId = inst.id;
    }
    const userId = await insertUser(trx, ctx.commune.id, u, ctx.clock.now());
    await repo.insertGrant(trx, { commune_id: ctx.commune.id, user_id: userId, role: u.role, institution_id: institutionId, granted_by: ctx.actor?.userId || null, created_at: iso(ctx.clock.now()) });
    // No email in the audit trail: it is append-only and hash-chained, so personal data there could never be erased; the id names the account.
    return { result: userId, entityId: userId, after: { role: u.role, institutionId } };
  });
}

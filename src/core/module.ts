import type { FastifyPluginAsync } from 'fastify';
import type { Migration } from 'kysely';
import type { Role } from './auth/roles.ts';
import type { Catalogs } from './i18n/index.ts';
import type { NavItem } from './ui/view.ts';
import type { Ctx } from './service.ts';
import type { SearchSource } from './search/index.ts';

export interface OpenDataExport { key: string; path: string; format: 'csv' | 'json' }

/**
 * Who may call a route. Every route the app serves has exactly one entry, keyed `METHOD /url` as Fastify
 * registers it (`GET /:locale/admin/requests/:ref`); test/authorization.test.ts checks every route against
 * its entry for every role, an anonymous visitor and a user of another commune, and fails on a route
 * without one. The check itself stays in the service (`authorize`, `mutate`); this table states what it is.
 *
 * - `'public'`: anyone, signed in or not.
 * - `'signed-in'`: any signed-in user of this commune.
 * - `'capability'`: anyone holding the secret the URL or body carries (a tracking code, a follower or
 *   password-reset token, an Open311 `api_key`); without it, 404 (or 403 for a missing API key).
 * - `'owner'`: the signed-in user the resource belongs to (the reporter of a request); others get 403.
 * - `'staff'`: holders of the permission of at least one entry of the staff home (modules' `admin` lists).
 * - a permission name: holders of that permission (`permissionTable()`).
 * - `{ permission, scoped: true }`: holders of one of the permissions; a scoped role (department or
 *   operator staff) only on the rows of its own institution (others: 403 or 404).
 */
export type RouteAccess =
  | 'public' | 'signed-in' | 'capability' | 'owner' | 'staff'
  | (string & {})
  | { permission: string | readonly string[]; scoped: true };

/** What a module adds to the platform; app.ts assembles modules from these alone. */
export interface ModuleManifest {
  name: string;
  migrations?: Record<string, Migration>;
  permissions?: Record<string, readonly Role[]>;
  catalogs?: Catalogs;
  /** Public navigation entries (order: report, plan, documents, take part, about). */
  nav?: NavItem[];
  /** Entries of the staff home, each shown to those holding its permission. */
  admin?: NavItem[];
  /** Pages under `/:locale`. */
  pages?: FastifyPluginAsync;
  /** Routes at the root (APIs). */
  routes?: FastifyPluginAsync;
  exports?: OpenDataExport[];
  /** Who may call each of the module's routes (see RouteAccess). */
  access?: Record<string, RouteAccess>;
  /**
   * Content this module makes searchable (the platform-wide search); kinds are unique across modules.
   * The module also calls `indexDoc` in each mutation that changes such content (src/core/search/index.ts).
   */
  search?: SearchSource[];
  /** Loads the module's part of the Tétouan demo commune. */
  demo?: (ctx: Ctx) => Promise<void>;
}

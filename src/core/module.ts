import type { FastifyPluginAsync } from 'fastify';
import type { Migration } from 'kysely';
import type { Role } from './auth/roles.ts';
import type { Catalogs } from './i18n/index.ts';
import type { NavItem } from './ui/view.ts';
import type { Ctx } from './service.ts';
import type { Commune } from './tenancy/index.ts';
import type { Translated } from './i18n/index.ts';
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
  /** The kinds of things people comment on that this module owns (the comments module resolves them through these). */
  commentTargets?: Record<string, CommentTargetResolver>;
  /**
   * What this module links to another module's things, by the type of that thing (`commitment`): a commitment's
   * public page lists the documents, deliberations and proposals behind it without knowing those modules. The
   * provider returns public items only (it runs for anonymous visitors).
   */
  related?: Record<string, RelatedProvider>;
  /** Background work of this module, by job kind (core/jobs: enqueued in a transaction, run once across processes). */
  jobs?: Record<string, JobHandler>;
  /**
   * What the route-wide tests (authorization matrix, fuzz, privacy crawl, isolation) need of this module's routes:
   * loaded by the tests only (a dynamic import keeps it out of the server's start).
   */
  fixtures?: () => Promise<ModuleFixtures>;
}

/** What the comments module needs to know about a thing people comment on. */
export interface CommentTarget {
  title: Translated;
  /** Its public page, after the locale (`/plans/ogp-2023/commitments/1.1`). */
  path: string;
  /** Whether new comments are accepted (a draft report, for example, is not open). */
  open: boolean;
}
/** The target of that type and id in the context's commune, or null when there is none. */
export type CommentTargetResolver = (ctx: Ctx, id: number) => Promise<CommentTarget | null>;

/** A group of linked items on another module's page (a heading, then its items). */
export interface RelatedGroup {
  /** Catalog key of the group's heading ("Documents", "Deliberations of the council", "Proposals behind it"). */
  titleKey: string;
  items: { title: Translated; path: string; date?: string | null; sample?: boolean }[];
}
export type RelatedProvider = (ctx: Ctx, id: number) => Promise<RelatedGroup[]>;

/** Runs one job; throwing makes it retry later (a few times, then it is marked failed). */
export type JobHandler = (ctx: Ctx, payload: Record<string, unknown>) => Promise<void>;

/** What every module's fixtures may use, made by the tests before any module's own. */
export interface FixtureBase {
  commune: Commune;
  /** A distinctive text to plant in personal fields (the privacy crawl looks for it in every public output). */
  marker: string;
  /** A citizen made for the fixtures (password: the tests' PASSWORD), and a service context acting as them. */
  userId: number;
  userEmail: string;
  citizen: Ctx;
  /** The commune's institutions by slug. */
  institutions: Record<string, number>;
  /** The installation's directory of uploaded files. */
  dataDir: string;
}

/** The fixtures of every module loaded so far, merged (each module's values by their names). */
export type Fixtures = FixtureBase & Record<string, any>;

export interface ModuleFixtures {
  /**
   * Creates (or finds) the rows behind the module's sample paths in a commune whose demo data is loaded, acting
   * through `ctx` (the platform itself); returns named values merged into the fixtures that later modules and the
   * tests read. Names are unique across modules.
   */
  build(ctx: Ctx, f: Fixtures): Promise<Record<string, unknown>>;
  /**
   * A concrete path for each of the module's routes, keyed `METHOD /url` as the route table has it (`* /url` for
   * both GET and POST of one URL); paths starting with `/:locale` get the test's locale.
   */
  samples: Record<string, (f: Fixtures) => string>;
  /**
   * For routes with scoped access (`{ permission, scoped: true }`): the sample path aimed at rows of several
   * institutions, at least one of `travaux` (the tests' department staff) or `operateur-proprete` (operator staff)
   * and one of another, so the matrix checks both sides.
   */
  scoped?: Record<string, (f: Fixtures) => { path: string; institution: string }[]>;
  /** Names of returned values that are personal data or secrets: the privacy crawl fails if one appears in a public output. */
  personal?: string[];
}

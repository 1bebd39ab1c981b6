import type { FastifyPluginAsync } from 'fastify';
import type { Migration } from 'kysely';
import type { Role } from './auth/roles.ts';
import type { Catalogs } from './i18n/index.ts';
import type { NavItem } from './ui/view.ts';
import type { Ctx } from './service.ts';

export interface OpenDataExport { key: string; path: string; format: 'csv' | 'json' }

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
  /** Loads the module's part of the Tétouan demo commune. */
  demo?: (ctx: Ctx) => Promise<void>;
}

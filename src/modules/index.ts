import type { ModuleManifest } from '../core/module.ts';
import { useModules } from '../core/registry.ts';
import { siteModule } from './site/index.ts';
import { accounts } from './accounts/index.ts';
import { adminModule } from './admin/index.ts';
import { governance } from './governance/index.ts';
import { accountability } from './accountability/index.ts';
import { commentsModule } from './comments/index.ts';
import { monitoring } from './monitoring/index.ts';
import { requests } from './requests/index.ts';
import { platformModule } from './platform/index.ts';

/** Every module of the platform, in the order their demo data loads. */
export const modules: ModuleManifest[] = [];
modules.push(siteModule(() => modules), accounts, adminModule(() => modules), governance, accountability, commentsModule(() => modules), monitoring, requests, platformModule(() => modules));
useModules(modules);

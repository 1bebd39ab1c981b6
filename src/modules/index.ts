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
import { transparency } from './transparency/index.ts';
import { information } from './transparency/information/index.ts';
import { budget } from './transparency/budget/index.ts';
import { participation } from './participation/index.ts';
import { surveys } from './participation/surveys/index.ts';
import { petitions } from './participation/petitions/index.ts';
import { platformModule } from './platform/index.ts';

/** Every module of the platform, in the order their demo data loads. */
export const modules: ModuleManifest[] = [];
modules.push(siteModule(() => modules), accounts, adminModule(() => modules), governance, accountability, commentsModule(() => modules), monitoring, requests, information, transparency, budget, participation, surveys, petitions, platformModule(() => modules));
useModules(modules);

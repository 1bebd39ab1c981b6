import type { ModuleManifest } from '../../../core/module.ts';
import { migrations } from './migrations.ts';
import { informationPages } from './routes.tsx';
import { seedInformation } from './demo.ts';
import { informationSearch } from './search.ts';
import { checkDeadline, DEADLINE_JOB } from './service.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/** Access to information under Law 31-13 (issue 14): requests with their legal clock, and the public register of answers. */
export const information: ModuleManifest = {
  name: 'information',
  migrations,
  permissions: {
    // Answer, extend, ask for clarification, redact, hide, record the redress: the designated officer.
    'information.handle': ['information_officer'],
    // See the queue and any file (requester contact included): the officer and the counter agents.
    'information.view': ['information_officer', 'counter_agent'],
    // File a request for a citizen at the counter or on the phone, and record what they say there.
    'information.file_for': ['information_officer', 'counter_agent'],
    // The legal grounds of refusal (article 7).
    'information.configure': ['information_officer'],
    // The system's deadline checks.
    'information.escalate': [],
  },
  catalogs: { fr, ar, en },
  nav: [{ key: 'information.nav', path: '/information', order: 30 }],
  admin: [
    { key: 'information.queueTitle', path: '/admin/information', order: 20, permission: 'information.view' },
    { key: 'information.counterTitle', path: '/admin/information/new', order: 21, permission: 'information.file_for' },
    { key: 'information.groundsTitle', path: '/admin/information/grounds', order: 75, permission: 'information.configure' },
  ],
  pages: informationPages,
  search: informationSearch,
  jobs: { [DEADLINE_JOB]: async (ctx, payload) => { await checkDeadline(ctx, payload); } },
  access: {
    'GET /:locale/information': 'public',
    'GET /:locale/information.csv': 'public',
    'GET /:locale/information.json': 'public',
    'GET /:locale/information/stats': 'public',
    'GET /:locale/information/stats.json': 'public',
    'GET /:locale/information/feed.atom': 'public',
    'GET /:locale/information/new': 'public',
    'POST /:locale/information/new': 'public',
    'GET /:locale/information/:ref': 'public',
    // An attachment hidden from the register (or of a hidden request) only for staff.
    'GET /:locale/information/files/:id': 'public',
    // The requester's tracking link.
    'GET /:locale/information/track/:token': 'capability',
    'POST /:locale/information/track/:token/confirm': 'capability',
    'POST /:locale/information/track/:token/reply': 'capability',
    'POST /:locale/information/track/:token/withdraw': 'capability',
    'POST /:locale/information/track/:token/complain': 'capability',
    'POST /:locale/information/track/:token/cdai': 'capability',
    // Staff.
    'GET /:locale/admin/information': 'information.view',
    'GET /:locale/admin/information/new': 'information.file_for',
    'POST /:locale/admin/information/new': 'information.file_for',
    'GET /:locale/admin/information/grounds': 'information.configure',
    'POST /:locale/admin/information/grounds': 'information.configure',
    'POST /:locale/admin/information/grounds/seed': 'information.configure',
    'GET /:locale/admin/information/grounds/:id': 'information.configure',
    'POST /:locale/admin/information/grounds/:id': 'information.configure',
    'GET /:locale/admin/information/:ref': 'information.view',
    'GET /:locale/admin/information/:ref/receipt': 'information.file_for',
    'POST /:locale/admin/information/:ref/reply': 'information.file_for',
    'POST /:locale/admin/information/:ref/withdraw': 'information.file_for',
    'POST /:locale/admin/information/:ref/complain': 'information.file_for',
    'POST /:locale/admin/information/:ref/cdai': 'information.file_for',
    'POST /:locale/admin/information/:ref/extend': 'information.handle',
    'POST /:locale/admin/information/:ref/clarify': 'information.handle',
    'POST /:locale/admin/information/:ref/answer': 'information.handle',
    'POST /:locale/admin/information/:ref/redact': 'information.handle',
    'POST /:locale/admin/information/:ref/hide': 'information.handle',
    'POST /:locale/admin/information/:ref/show': 'information.handle',
    'POST /:locale/admin/information/:ref/attachments/:id/hide': 'information.handle',
    'POST /:locale/admin/information/:ref/complaint-answer': 'information.handle',
    'POST /:locale/admin/information/:ref/cdai-decision': 'information.handle',
  },
  exports: [
    { key: 'information.exportCsv', path: '/information.csv', format: 'csv' },
    { key: 'information.exportJson', path: '/information.json', format: 'json' },
    { key: 'information.exportStats', path: '/information/stats.json', format: 'json' },
  ],
  demo: seedInformation,
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};

import type { ModuleManifest } from '../../core/module.ts';
import { migrations } from './migrations.ts';
import { participationPages } from './routes.tsx';
import { participationSearch } from './search.ts';
import { seedParticipation } from './demo.ts';
import { proposalAsCommentTarget, proposalsBehindCommitment, sendReminders, REMINDER_JOB } from './service.ts';
import fr from './locales/fr.json' with { type: 'json' };
import ar from './locales/ar.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const participation: ModuleManifest = {
  name: 'participation',
  migrations,
  permissions: {
    // Processes, meetings, invitations, the commune's answers: the OGP technical team.
    'participation.manage': ['ogp_team'],
    // Registering someone at the counter, the door (attendance, walk-ins).
    'participation.attendance': ['ogp_team', 'counter_agent'],
    // A proposal on someone's behalf (counter) or transcribed from a workshop.
    'participation.submit_for': ['ogp_team', 'counter_agent'],
    'participation.moderate': ['moderator', 'ogp_team'],
    // The staff list of a process's proposals (moderators, the team, the counter that enters them).
    'participation.proposals': ['moderator', 'ogp_team', 'counter_agent'],
    // The participant registry (personal data, with consent).
    'participation.registry': ['ogp_team'],
  },
  catalogs: { fr, ar, en },
  nav: [{ key: 'participation.nav', path: '/participation', order: 40 }],
  admin: [
    { key: 'participation.adminTitle', path: '/admin/participation', order: 40, permission: 'participation.manage' },
    { key: 'participation.registry', path: '/admin/participation/registry', order: 41, permission: 'participation.registry' },
  ],
  pages: participationPages,
  search: participationSearch,
  commentTargets: { proposal: proposalAsCommentTarget },
  related: { commitment: proposalsBehindCommitment },
  jobs: { [REMINDER_JOB]: sendReminders },
  access: {
    'GET /:locale/participation': 'public',
    'GET /:locale/participation/meetings.ics': 'public',
    'GET /:locale/participation/:slug': 'public',
    'GET /:locale/participation/:slug/statistics': 'public',
    'GET /:locale/participation/:slug/proposals': 'public',
    'GET /:locale/participation/:slug/proposals/new': 'public',
    'POST /:locale/participation/:slug/proposals/new': 'public',
    'GET /:locale/participation/:slug/proposals/:number': 'public',
    'POST /:locale/participation/:slug/proposals/:number/support': 'signed-in',
    'GET /:locale/participation/meetings/:id': 'public',
    'POST /:locale/participation/meetings/:id/register': 'public',
    'GET /:locale/participation/registrations/:token': 'capability',
    'POST /:locale/participation/registrations/:token': 'capability',
    'GET /:locale/participation/proposals/confirm/:token': 'capability',
    'POST /:locale/participation/proposals/confirm/:token': 'capability',
    'GET /:locale/participation/invitations/:token': 'capability',
    'POST /:locale/participation/invitations/:token': 'capability',
    'GET /:locale/participation/me': 'signed-in',
    'POST /:locale/participation/me': 'signed-in',
    'GET /:locale/participation/me.json': 'signed-in',
    'POST /:locale/participation/me/erase': 'signed-in',
    'GET /:locale/admin/participation': 'participation.manage',
    'POST /:locale/admin/participation': 'participation.manage',
    'GET /:locale/admin/participation/:id': 'participation.manage',
    'POST /:locale/admin/participation/:id': 'participation.manage',
    'POST /:locale/admin/participation/:id/meetings': 'participation.manage',
    'GET /:locale/admin/participation/meetings/:id': 'participation.attendance',
    'POST /:locale/admin/participation/meetings/:id': 'participation.manage',
    'POST /:locale/admin/participation/meetings/:id/register': 'participation.attendance',
    'GET /:locale/admin/participation/meetings/:id/door': 'participation.attendance',
    'POST /:locale/admin/participation/meetings/:id/door': 'participation.attendance',
    'POST /:locale/admin/participation/meetings/:id/walk-in': 'participation.attendance',
    'GET /:locale/admin/participation/meetings/:id/invite': 'participation.manage',
    'POST /:locale/admin/participation/meetings/:id/invite': 'participation.manage',
    'GET /:locale/admin/participation/registry': 'participation.registry',
    'GET /:locale/admin/participation/:id/proposals': 'participation.proposals',
    'POST /:locale/admin/participation/:id/proposals': 'participation.submit_for',
    'GET /:locale/admin/participation/proposals/:id': 'participation.moderate',
    'POST /:locale/admin/participation/proposals/:id/moderate': 'participation.moderate',
    'POST /:locale/admin/participation/proposals/:id/answer': 'participation.manage',
  },
  demo: seedParticipation,
  fixtures: () => import('./fixtures.ts').then((m) => m.default),
};

import type { ModuleFixtures } from '../../core/module.ts';
import { sha256, randomToken } from '../../core/auth/passwords.ts';
import { iso } from '../../core/clock/index.ts';
import { registerFor, submitProposal } from './service.ts';

/**
 * The demo's processes (finished and open), an upcoming meeting with a registration of a person whose name, email,
 * age band and sex carry the marker, an unconfirmed proposal by email, an invitation; their tokens for the
 * capability routes.
 */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const db = ctx.db as any; // test support: reads the module's own tables by name
    const c = f.commune.id;
    const open = await db.selectFrom('processes').select(['id', 'slug']).where('commune_id', '=', c).where('status', '=', 'open').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const finished = await db.selectFrom('processes').select(['id', 'slug']).where('commune_id', '=', c).where('status', '=', 'finished').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const meeting = await db.selectFrom('meetings').select(['id']).where('commune_id', '=', c).where('process_id', '=', open.id).where('capacity', 'is', null).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const participantEmail = `participant.${f.marker.toLowerCase()}@test.local`;
    const reg = await registerFor(ctx, meeting.id, { name: `Participant ${f.marker}`, email: participantEmail, consent: true, sex: 'f', ageBand: '25_34', orgType: 'none' });
    // Planted in the dimensions too: they must never reach a public output.
    const ageMarker = `age-${f.marker}`;
    const sexMarker = `sex-${f.marker}`;
    await db.updateTable('participants').set({ age_band: ageMarker, sex: sexMarker }).where('commune_id', '=', c).where('email_normalized', '=', participantEmail).execute();
    const person = await db.selectFrom('participants').select(['id']).where('commune_id', '=', c).where('email_normalized', '=', participantEmail).executeTakeFirstOrThrow();
    const proposerEmail = `proposer.${f.marker.toLowerCase()}@test.local`;
    const submitted = await submitProposal({ ...ctx, actor: null }, open.slug, { title: 'Proposition des tests', body: 'Une proposition envoyée par courriel, à confirmer.', name: `Proposer ${f.marker}`, email: proposerEmail });
    const confirmToken = randomToken(24);
    await db.updateTable('proposals').set({ confirm_token_hash: sha256(confirmToken) }).where('commune_id', '=', c).where('process_id', '=', open.id).where('number', '=', submitted.number).execute();
    const proposal = await db.selectFrom('proposals').select(['id', 'number']).where('commune_id', '=', c).where('process_id', '=', open.id).where('status', '=', 'published').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const invitationToken = randomToken(24);
    await db.insertInto('invitations').values({ commune_id: c, meeting_id: meeting.id, participant_id: person.id, token_hash: sha256(invitationToken), status: 'sent', sent_at: iso(ctx.clock.now()), answered_at: null }).execute();
    return {
      participationOpenSlug: open.slug, participationOpenId: open.id, participationFinishedSlug: finished.slug, participationMeetingId: meeting.id,
      participationProposalId: proposal.id, participationProposalNumber: proposal.number, participationRegistrationToken: reg.token,
      participationConfirmToken: confirmToken, participationInvitationToken: invitationToken,
      participantName: `Participant ${f.marker}`, participantEmail, participantAge: ageMarker, participantSex: sexMarker, proposerEmail, proposerName: `Proposer ${f.marker}`,
    };
  },
  samples: {
    'GET /:locale/participation': () => '/:locale/participation',
    'GET /:locale/participation/meetings.ics': () => '/:locale/participation/meetings.ics',
    'GET /:locale/participation/:slug': (f) => `/:locale/participation/${f.participationFinishedSlug}`,
    'GET /:locale/participation/:slug/statistics': (f) => `/:locale/participation/${f.participationFinishedSlug}/statistics`,
    'GET /:locale/participation/:slug/proposals': (f) => `/:locale/participation/${f.participationOpenSlug}/proposals`,
    '* /:locale/participation/:slug/proposals/new': (f) => `/:locale/participation/${f.participationOpenSlug}/proposals/new`,
    'GET /:locale/participation/:slug/proposals/:number': (f) => `/:locale/participation/${f.participationOpenSlug}/proposals/${f.participationProposalNumber}`,
    'POST /:locale/participation/:slug/proposals/:number/support': (f) => `/:locale/participation/${f.participationOpenSlug}/proposals/${f.participationProposalNumber}/support`,
    'GET /:locale/participation/meetings/:id': (f) => `/:locale/participation/meetings/${f.participationMeetingId}`,
    'POST /:locale/participation/meetings/:id/register': (f) => `/:locale/participation/meetings/${f.participationMeetingId}/register`,
    '* /:locale/participation/registrations/:token': (f) => `/:locale/participation/registrations/${f.participationRegistrationToken}`,
    '* /:locale/participation/proposals/confirm/:token': (f) => `/:locale/participation/proposals/confirm/${f.participationConfirmToken}`,
    '* /:locale/participation/invitations/:token': (f) => `/:locale/participation/invitations/${f.participationInvitationToken}`,
    '* /:locale/participation/me': () => '/:locale/participation/me',
    'GET /:locale/participation/me.json': () => '/:locale/participation/me.json',
    'POST /:locale/participation/me/erase': () => '/:locale/participation/me/erase',
    '* /:locale/admin/participation': () => '/:locale/admin/participation',
    '* /:locale/admin/participation/:id': (f) => `/:locale/admin/participation/${f.participationOpenId}`,
    'POST /:locale/admin/participation/:id/meetings': (f) => `/:locale/admin/participation/${f.participationOpenId}/meetings`,
    '* /:locale/admin/participation/meetings/:id': (f) => `/:locale/admin/participation/meetings/${f.participationMeetingId}`,
    'POST /:locale/admin/participation/meetings/:id/register': (f) => `/:locale/admin/participation/meetings/${f.participationMeetingId}/register`,
    '* /:locale/admin/participation/meetings/:id/door': (f) => `/:locale/admin/participation/meetings/${f.participationMeetingId}/door`,
    'POST /:locale/admin/participation/meetings/:id/walk-in': (f) => `/:locale/admin/participation/meetings/${f.participationMeetingId}/walk-in`,
    '* /:locale/admin/participation/meetings/:id/invite': (f) => `/:locale/admin/participation/meetings/${f.participationMeetingId}/invite`,
    'GET /:locale/admin/participation/registry': () => '/:locale/admin/participation/registry',
    '* /:locale/admin/participation/:id/proposals': (f) => `/:locale/admin/participation/${f.participationOpenId}/proposals`,
    'GET /:locale/admin/participation/proposals/:id': (f) => `/:locale/admin/participation/proposals/${f.participationProposalId}`,
    'POST /:locale/admin/participation/proposals/:id/moderate': (f) => `/:locale/admin/participation/proposals/${f.participationProposalId}/moderate`,
    'POST /:locale/admin/participation/proposals/:id/answer': (f) => `/:locale/admin/participation/proposals/${f.participationProposalId}/answer`,
  },
  personal: ['participantName', 'participantEmail', 'participantAge', 'participantSex', 'proposerEmail', 'proposerName'],
};
export default fixtures;

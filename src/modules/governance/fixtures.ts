import type { ModuleFixtures } from '../../core/module.ts';

/** The first body with a member, the first endorsement, the first institution. */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const db = ctx.db as any; // test support: reads the module's own tables by name
    const body = await db.selectFrom('bodies as b').innerJoin('body_members as m', (j: any) => j.onRef('m.body_id', '=', 'b.id').onRef('m.commune_id', '=', 'b.commune_id'))
      .select(['b.id', 'b.slug', 'm.id as member_id']).where('b.commune_id', '=', f.commune.id).orderBy('b.id').orderBy('m.id').limit(1).executeTakeFirstOrThrow();
    const endorsement = await db.selectFrom('endorsements').select('id').where('commune_id', '=', f.commune.id).orderBy('id').limit(1).executeTakeFirstOrThrow();
    return { bodySlug: body.slug, bodyId: body.id, memberId: body.member_id, endorsementId: endorsement.id, institutionId: Math.min(...Object.values(f.institutions)) };
  },
  samples: {
    'GET /:locale/bodies': () => '/:locale/bodies',
    'GET /:locale/bodies/:slug': (f) => `/:locale/bodies/${f.bodySlug}`,
    'GET /:locale/institutions': () => '/:locale/institutions',
    'GET /:locale/endorsements': () => '/:locale/endorsements',
    '* /:locale/admin/bodies': () => '/:locale/admin/bodies',
    '* /:locale/admin/bodies/:id': (f) => `/:locale/admin/bodies/${f.bodyId}`,
    'POST /:locale/admin/bodies/:id/members': (f) => `/:locale/admin/bodies/${f.bodyId}/members`,
    'POST /:locale/admin/bodies/:id/members/:member/end': (f) => `/:locale/admin/bodies/${f.bodyId}/members/${f.memberId}/end`,
    '* /:locale/admin/bodies/:id/members/:member': (f) => `/:locale/admin/bodies/${f.bodyId}/members/${f.memberId}`,
    '* /:locale/admin/decisions': () => '/:locale/admin/decisions',
    'POST /:locale/admin/bodies/:id/decisions': (f) => `/:locale/admin/bodies/${f.bodyId}/decisions`,
    '* /:locale/admin/institutions': () => '/:locale/admin/institutions',
    '* /:locale/admin/institutions/:id': (f) => `/:locale/admin/institutions/${f.institutionId}`,
    '* /:locale/admin/endorsements': () => '/:locale/admin/endorsements',
    '* /:locale/admin/endorsements/:id': (f) => `/:locale/admin/endorsements/${f.endorsementId}`,
    'POST /:locale/admin/endorsements/:id/remove': (f) => `/:locale/admin/endorsements/${f.endorsementId}/remove`,
  },
};
export default fixtures;

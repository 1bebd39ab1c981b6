import type { ModuleFixtures } from '../../../core/module.ts';
import { createPetition, sign } from './service.ts';

/**
 * A petition of the fixture citizen (its promoter: the owner of the filing route), collecting signatures, signed
 * by them with an ID number that is personal data: neither it nor its hash may appear in any public output.
 */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const db = ctx.db as any;
    let p = await db.selectFrom('petitions').select(['reference']).where('commune_id', '=', f.commune.id).where('promoter_user_id', '=', f.userId).orderBy('id').limit(1).executeTakeFirst();
    const cin = `ZZ${String(f.marker.length * 7919 % 1000000).padStart(6, '0')}`;
    if (!p) {
      const reference = await createPetition(f.citizen, { kind: 'citizens', title: 'Pétition de test', reasons: 'Parce que.', requestedAction: 'Agir.', promoterName: 'Mandataire test', associationName: null });
      await sign(f.citizen, reference, { cin, attest: '1' });
      p = { reference };
    }
    const hash = await db.selectFrom('petition_signatures').select('identity_hash').where('commune_id', '=', f.commune.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return { petitionRef: p.reference, petitionSignerCin: cin, petitionSignerHash: hash?.identity_hash ?? 'none' };
  },
  samples: {
    'GET /:locale/petitions': () => '/:locale/petitions',
    'GET /:locale/petitions.json': () => '/:locale/petitions.json',
    '* /:locale/petitions/new': () => '/:locale/petitions/new',
    'GET /:locale/petitions/:ref': (f) => `/:locale/petitions/${f.petitionRef}`,
    'POST /:locale/petitions/:ref/sign': (f) => `/:locale/petitions/${f.petitionRef}/sign`,
    'POST /:locale/petitions/:ref/file': (f) => `/:locale/petitions/${f.petitionRef}/file`,
    'GET /:locale/admin/petitions': () => '/:locale/admin/petitions',
    '* /:locale/admin/petitions/settings': () => '/:locale/admin/petitions/settings',
    'GET /:locale/admin/petitions/:ref': (f) => `/:locale/admin/petitions/${f.petitionRef}`,
    'POST /:locale/admin/petitions/:ref/paper': (f) => `/:locale/admin/petitions/${f.petitionRef}/paper`,
    'POST /:locale/admin/petitions/:ref/admissibility': (f) => `/:locale/admin/petitions/${f.petitionRef}/admissibility`,
    'POST /:locale/admin/petitions/:ref/agenda': (f) => `/:locale/admin/petitions/${f.petitionRef}/agenda`,
    'POST /:locale/admin/petitions/:ref/decision': (f) => `/:locale/admin/petitions/${f.petitionRef}/decision`,
  },
  // The ID number itself is never stored, only its keyed hash: the hash must never be public.
  personal: ['petitionSignerHash'],
};
export default fixtures;

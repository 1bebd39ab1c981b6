import type { Ctx } from '../../../core/service.ts';
import { pt } from './repo.ts';
import { createPetition, identityHash } from './service.ts';
import { iso } from '../../../core/clock/index.ts';

/**
 * Two sample petitions (marked sample), promoted by the demo's system account: one collecting signatures, one
 * declared admissible and put on a council session's agenda, with sample signatures (hashes of made-up ID numbers).
 */
export async function seedPetitions(ctx: Ctx): Promise<void> {
  const a = await createPetition(ctx, {
    kind: 'citizens', sample: true, promoterName: 'Collectif des habitants de Mhannech',
    title: 'Éclairage public et trottoirs de l’avenue Mhannech II',
    reasons: 'Les trottoirs de l’avenue sont interrompus sur 800 mètres et l’éclairage est en panne depuis l’hiver : les enfants qui vont à l’école marchent sur la chaussée.',
    requestedAction: 'Inscrire à l’ordre du jour du conseil la réfection des trottoirs et de l’éclairage de l’avenue, avec un calendrier.',
  });
  const b = await createPetition(ctx, {
    kind: 'citizens', sample: true, promoterName: 'Comité de quartier de la Médina',
    title: 'Une navette électrique pour la médina',
    reasons: 'Les personnes âgées et à mobilité réduite n’accèdent plus aux services de la médina depuis la fermeture des rues aux voitures.',
    requestedAction: 'Étudier et créer une navette électrique entre Bab Okla et Bab Saïda.',
  });
  const db = pt(ctx.db);
  const at = iso(ctx.clock.now());
  for (const [ref, n] of [[a, 137], [b, 246]] as const) {
    const p = await db.selectFrom('petitions').select(['id']).where('commune_id', '=', ctx.commune.id).where('reference', '=', ref).executeTakeFirstOrThrow();
    const rows = [];
    for (let i = 0; i < n; i++) rows.push({ commune_id: ctx.commune.id, petition_id: p.id, channel: i % 3 === 0 ? 'paper' : 'online', user_id: null, identity_hash: await identityHash(ctx, `SAMPLE${ref}${i}`), entered_by: null, created_at: at });
    await db.insertInto('petition_signatures').values(rows).execute();
    const paper = rows.filter((r) => r.channel === 'paper').length;
    await db.updateTable('petitions').set({ online_count: n - paper, paper_count: paper }).where('commune_id', '=', ctx.commune.id).where('id', '=', p.id).execute();
  }
  const p = await db.selectFrom('petitions').select(['id']).where('commune_id', '=', ctx.commune.id).where('reference', '=', b).executeTakeFirstOrThrow();
  await db.updateTable('petitions').set({ status: 'scheduled', filed_at: at, decision_due_on: null, admissibility_at: at, session_date: '2027-02-02', session_reference: 'Session ordinaire de février 2027 (exemple)' })
    .where('commune_id', '=', ctx.commune.id).where('id', '=', p.id).execute();
  for (const kind of ['filed', 'admissible', 'scheduled']) {
    await db.insertInto('petition_events').values({ commune_id: ctx.commune.id, petition_id: p.id, at, kind, note: kind === 'scheduled' ? '2027-02-02 — Session ordinaire de février 2027 (exemple)' : null }).execute();
  }
}

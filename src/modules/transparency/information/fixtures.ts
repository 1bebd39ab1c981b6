import type { ModuleFixtures } from '../../../core/module.ts';
import * as svc from './service.ts';

/**
 * An answered request of the fixture citizen (signed in, so received at once) with an email, a phone, a postal address
 * and a name marked personal, and a PDF attached; a second one still open; the first legal ground.
 */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const db = ctx.db as any; // test support: reads the module's own tables by name
    const m = f.marker.toLowerCase();
    const infoEmail = `demandeur.${m}@test.local`;
    const infoPhone = `+212 6${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const infoName = `Demandeur ${f.marker}`;
    const input = { question: `Information demandée par la fixture ${f.marker}`, answer_form: 'copy_mail', name: infoName, email: infoEmail, phone: infoPhone, address: `Rue ${f.marker}` };
    const answered = await svc.submitRequest(f.citizen, input, { channel: 'web' });
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    await svc.answer(ctx, answered.reference, { outcome: 'given', message: 'Voici le document demandé.' }, [{ filename: 'reponse.pdf', mimetype: 'application/pdf', data: pdf, truncated: false }]);
    const open = await svc.submitRequest(f.citizen, input, { channel: 'web' });
    const attachment = await db.selectFrom('info_attachments').select('id').where('commune_id', '=', f.commune.id).where('request_id', '=', answered.id).executeTakeFirstOrThrow();
    const ground = await db.selectFrom('info_grounds').select('id').where('commune_id', '=', f.commune.id).orderBy('id').limit(1).executeTakeFirstOrThrow();
    return { infoRef: answered.reference, infoToken: answered.token, infoOpenRef: open.reference, infoOpenToken: open.token, infoAttachmentId: attachment.id, infoGroundId: ground.id, infoEmail, infoPhone, infoName };
  },
  samples: {
    'GET /:locale/information': () => '/:locale/information',
    'GET /:locale/information.csv': () => '/:locale/information.csv',
    'GET /:locale/information.json': () => '/:locale/information.json',
    'GET /:locale/information/stats': () => '/:locale/information/stats',
    'GET /:locale/information/stats.json': () => '/:locale/information/stats.json',
    'GET /:locale/information/feed.atom': () => '/:locale/information/feed.atom',
    '* /:locale/information/new': () => '/:locale/information/new',
    'GET /:locale/information/:ref': (f) => `/:locale/information/${f.infoRef}`,
    'GET /:locale/information/files/:id': (f) => `/:locale/information/files/${f.infoAttachmentId}`,
    'GET /:locale/information/track/:token': (f) => `/:locale/information/track/${f.infoToken}`,
    'POST /:locale/information/track/:token/confirm': (f) => `/:locale/information/track/${f.infoOpenToken}/confirm`,
    'POST /:locale/information/track/:token/reply': (f) => `/:locale/information/track/${f.infoOpenToken}/reply`,
    'POST /:locale/information/track/:token/withdraw': (f) => `/:locale/information/track/${f.infoOpenToken}/withdraw`,
    'POST /:locale/information/track/:token/complain': (f) => `/:locale/information/track/${f.infoToken}/complain`,
    'POST /:locale/information/track/:token/cdai': (f) => `/:locale/information/track/${f.infoToken}/cdai`,
    'GET /:locale/admin/information': () => '/:locale/admin/information',
    '* /:locale/admin/information/new': () => '/:locale/admin/information/new',
    '* /:locale/admin/information/grounds': () => '/:locale/admin/information/grounds',
    'POST /:locale/admin/information/grounds/seed': () => '/:locale/admin/information/grounds/seed',
    '* /:locale/admin/information/grounds/:id': (f) => `/:locale/admin/information/grounds/${f.infoGroundId}`,
    'GET /:locale/admin/information/:ref': (f) => `/:locale/admin/information/${f.infoRef}`,
    'GET /:locale/admin/information/:ref/receipt': (f) => `/:locale/admin/information/${f.infoRef}/receipt`,
    'POST /:locale/admin/information/:ref/reply': (f) => `/:locale/admin/information/${f.infoOpenRef}/reply`,
    'POST /:locale/admin/information/:ref/withdraw': (f) => `/:locale/admin/information/${f.infoOpenRef}/withdraw`,
    'POST /:locale/admin/information/:ref/complain': (f) => `/:locale/admin/information/${f.infoRef}/complain`,
    'POST /:locale/admin/information/:ref/cdai': (f) => `/:locale/admin/information/${f.infoRef}/cdai`,
    'POST /:locale/admin/information/:ref/extend': (f) => `/:locale/admin/information/${f.infoOpenRef}/extend`,
    'POST /:locale/admin/information/:ref/clarify': (f) => `/:locale/admin/information/${f.infoOpenRef}/clarify`,
    'POST /:locale/admin/information/:ref/answer': (f) => `/:locale/admin/information/${f.infoOpenRef}/answer`,
    'POST /:locale/admin/information/:ref/redact': (f) => `/:locale/admin/information/${f.infoRef}/redact`,
    'POST /:locale/admin/information/:ref/hide': (f) => `/:locale/admin/information/${f.infoRef}/hide`,
    'POST /:locale/admin/information/:ref/show': (f) => `/:locale/admin/information/${f.infoRef}/show`,
    'POST /:locale/admin/information/:ref/attachments/:id/hide': (f) => `/:locale/admin/information/${f.infoRef}/attachments/${f.infoAttachmentId}/hide`,
    'POST /:locale/admin/information/:ref/complaint-answer': (f) => `/:locale/admin/information/${f.infoRef}/complaint-answer`,
    'POST /:locale/admin/information/:ref/cdai-decision': (f) => `/:locale/admin/information/${f.infoRef}/cdai-decision`,
  },
  personal: ['infoEmail', 'infoPhone', 'infoName'],
};
export default fixtures;

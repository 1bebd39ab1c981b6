import sharp from 'sharp';
import type { ModuleFixtures, Fixtures } from '../../core/module.ts';
import { sha256, randomToken } from '../../core/auth/passwords.ts';
import { iso } from '../../core/clock/index.ts';
import { submitRequest } from './service.ts';
import { follow } from './workflow.ts';
import { makeToken } from './open311/service.ts';

/** Answers to a category's required questions (first option, a number, a date or a text). */
function answersFor(questions: { code: string; kind: string; required: number; options: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of questions) {
    if (!q.required) continue;
    const options = JSON.parse(q.options || '[]') as { value: string }[];
    out[`q_${q.code}`] = q.kind === 'single' || q.kind === 'multiple' ? options[0]?.value ?? '' : q.kind === 'number' ? '1' : q.kind === 'date' ? '2026-01-15' : 'texte';
  }
  return out;
}

/**
 * A request of the fixture citizen (its reporter) on a department's category, with a photo, a public name, an email
 * (the reporter follows it) and an unconfirmed follower; a request per institution; the settings' first rows; an
 * Open311 key of the commune (as `commune apikey add` makes it) and the Open311 token of the request.
 */
const fixtures: ModuleFixtures = {
  async build(ctx, f) {
    const db = ctx.db as any; // test support: reads the module's own tables by name
    const c = f.commune.id;
    const one = async (q: Promise<any>, what: string) => { const r = await q; if (r === undefined) throw new Error(`requests fixtures: no ${what}`); return r; };
    const first = (table: string, where: Record<string, unknown> = {}) => {
      let q = db.selectFrom(table).selectAll().where('commune_id', '=', c);
      for (const [k, v] of Object.entries(where)) q = q.where(k, '=', v);
      return q.orderBy('id').limit(1).executeTakeFirst();
    };
    const insts: { id: number; slug: string; kind: string }[] = await db.selectFrom('institutions').select(['id', 'slug', 'kind']).where('commune_id', '=', c).orderBy('id').execute();
    const categories: { id: number; slug: string; institution_id: number }[] = await db.selectFrom('request_categories').select(['id', 'slug', 'institution_id']).where('commune_id', '=', c).where('active', '=', 1).orderBy('id').execute();
    const kindOf = (id: number) => insts.find((i) => i.id === id)?.kind;
    const category = categories.find((x) => kindOf(x.institution_id) === 'department') ?? categories[0];
    if (!category) throw new Error('requests fixtures: no request category');
    const questions = await db.selectFrom('request_questions').selectAll().where('commune_id', '=', c).where('category_id', '=', category.id).orderBy('sort').execute();
    const district = await one(first('request_districts'), 'district');
    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#48a' } }).jpeg().toBuffer();
    const reporterEmail = `reporter.${f.marker.toLowerCase()}@test.local`;
    const followerEmail = `follower.${f.marker.toLowerCase()}@test.local`;
    const submitted = await submitRequest(f.citizen, {
      category: category.slug, district: district.slug, description: `Signalement ${f.marker}`, name: `Fixture ${f.marker}`, name_public: '1',
      email: reporterEmail, ...answersFor(questions),
    }, { channel: 'web', photos: [{ filename: 'photo.jpg', mimetype: 'image/jpeg', data: jpeg, truncated: false }] });
    await follow(ctx, submitted.reference, { email: followerEmail });
    const followers: { token: string; is_reporter: number }[] = await db.selectFrom('request_followers').select(['token', 'is_reporter']).where('commune_id', '=', c).where('request_id', '=', submitted.id).execute();
    const photo = await one(first('request_photos', { request_id: submitted.id }), 'request photo');
    const requestsByInstitution: Record<string, string> = {};
    for (const r of await db.selectFrom('requests').select(['reference', 'institution_id']).where('commune_id', '=', c).orderBy('id').execute() as { reference: string; institution_id: number }[]) {
      const s = insts.find((i) => i.id === r.institution_id)?.slug;
      if (s && !(s in requestsByInstitution)) requestsByInstitution[s] = r.reference;
    }
    const question = await one(first('request_questions', { category_id: category.id }), 'question of the category');
    const template = await one(first('request_templates'), 'response template');
    const holiday = await one(first('holidays'), 'holiday');
    const head = insts.find((i) => i.kind === 'department') ?? insts[0];
    const apiKey = `co_${randomToken(24)}`;
    await db.insertInto('api_keys').values({ commune_id: c, name: `Fixture ${f.marker}`, key_hash: sha256(apiKey), created_at: iso(ctx.clock.now()), revoked_at: null }).execute();
    const secret = (await db.selectFrom('settings').select('value').where('key', '=', 'cookie_secret').executeTakeFirst())?.value ?? ctx.config.baseUrl;
    return {
      requestRef: submitted.reference, requestId: submitted.id, requestInstitutionId: category.institution_id, trackingCode: submitted.trackingCode,
      followToken: followers.find((x) => !x.is_reporter)!.token, unsubscribeToken: followers.find((x) => x.is_reporter)!.token,
      photoId: photo.id, requestsByInstitution,
      categoryId: category.id, categorySlug: category.slug, questionId: question.id, districtId: district.id, templateId: template.id, holidayId: holiday.id,
      headInstitutionId: head.id, reporterEmail, followerEmail, apiKey, open311Token: makeToken(secret, c, submitted.reference),
    };
  },
  samples: {
    'GET /:locale/requests/new': () => '/:locale/requests/new',
    'POST /:locale/requests/new/check': () => '/:locale/requests/new/check',
    'POST /:locale/requests/new/edit': () => '/:locale/requests/new/edit',
    'POST /:locale/requests/new': () => '/:locale/requests/new',
    'GET /:locale/requests/:ref/submitted': (f) => `/:locale/requests/${f.requestRef}/submitted`,
    'GET /:locale/requests': () => '/:locale/requests',
    'GET /:locale/requests.csv': () => '/:locale/requests.csv',
    'GET /:locale/requests.json': () => '/:locale/requests.json',
    'GET /:locale/requests/map': () => '/:locale/requests/map',
    'GET /:locale/requests/map.json': () => '/:locale/requests/map.json',
    'GET /:locale/requests/lookup': (f) => `/:locale/requests/lookup?q=${f.requestRef}`,
    'GET /:locale/requests/:ref': (f) => `/:locale/requests/${f.requestRef}`,
    'POST /:locale/requests/:ref/follow': (f) => `/:locale/requests/${f.requestRef}/follow`,
    '* /:locale/requests/follow/:token': (f) => `/:locale/requests/follow/${f.followToken}`,
    '* /:locale/requests/unsubscribe/:token': (f) => `/:locale/requests/unsubscribe/${f.unsubscribeToken}`,
    'GET /:locale/requests/track/:code': (f) => `/:locale/requests/track/${f.trackingCode}`,
    'POST /:locale/requests/track/:code/feedback': (f) => `/:locale/requests/track/${f.trackingCode}/feedback`,
    'POST /:locale/requests/track/:code/contest': (f) => `/:locale/requests/track/${f.trackingCode}/contest`,
    'POST /:locale/requests/track/:code/hide-name': (f) => `/:locale/requests/track/${f.trackingCode}/hide-name`,
    'GET /:locale/requests/:ref/mine': (f) => `/:locale/requests/${f.requestRef}/mine`,
    'POST /:locale/requests/:ref/mine/feedback': (f) => `/:locale/requests/${f.requestRef}/mine/feedback`,
    'POST /:locale/requests/:ref/mine/contest': (f) => `/:locale/requests/${f.requestRef}/mine/contest`,
    'POST /:locale/requests/:ref/mine/hide-name': (f) => `/:locale/requests/${f.requestRef}/mine/hide-name`,
    'GET /:locale/requests/photos/:id': (f) => `/:locale/requests/photos/${f.photoId}`,
    'GET /:locale/requests/dashboards': () => '/:locale/requests/dashboards',
    'GET /:locale/requests/dashboards/institutions': () => '/:locale/requests/dashboards/institutions',
    'GET /:locale/admin/requests': () => '/:locale/admin/requests',
    'GET /:locale/admin/requests/contests': () => '/:locale/admin/requests/contests',
    '* /:locale/admin/requests/new': () => '/:locale/admin/requests/new',
    'GET /:locale/admin/requests/:ref/receipt': (f) => `${staff(f)}/receipt`,
    'POST /:locale/admin/requests/:ref/new-code': (f) => `${staff(f)}/new-code`,
    'GET /:locale/admin/requests/:ref': (f) => staff(f),
    'POST /:locale/admin/requests/:ref/answer': (f) => `${staff(f)}/answer`,
    'POST /:locale/admin/requests/:ref/assign': (f) => `${staff(f)}/assign`,
    'POST /:locale/admin/requests/:ref/note': (f) => `${staff(f)}/note`,
    'POST /:locale/admin/requests/:ref/rule': (f) => `${staff(f)}/rule`,
    'POST /:locale/admin/requests/:ref/hide-name': (f) => `${staff(f)}/hide-name`,
    'POST /:locale/admin/requests/:ref/photos/:id/:what': (f) => `${staff(f)}/photos/${f.photoId}/show`,
    'GET /:locale/admin/requests/categories': () => '/:locale/admin/requests/categories',
    '* /:locale/admin/requests/categories/new': () => '/:locale/admin/requests/categories/new',
    '* /:locale/admin/requests/categories/:id': (f) => `/:locale/admin/requests/categories/${f.categoryId}`,
    'POST /:locale/admin/requests/categories/:id/questions': (f) => `/:locale/admin/requests/categories/${f.categoryId}/questions`,
    '* /:locale/admin/requests/categories/:id/questions/:qid': (f) => `/:locale/admin/requests/categories/${f.categoryId}/questions/${f.questionId}`,
    'POST /:locale/admin/requests/categories/:id/questions/:qid/delete': (f) => `/:locale/admin/requests/categories/${f.categoryId}/questions/${f.questionId}/delete`,
    'GET /:locale/admin/requests/districts': () => '/:locale/admin/requests/districts',
    'POST /:locale/admin/requests/districts/import': () => '/:locale/admin/requests/districts/import',
    '* /:locale/admin/requests/districts/new': () => '/:locale/admin/requests/districts/new',
    '* /:locale/admin/requests/districts/:id': (f) => `/:locale/admin/requests/districts/${f.districtId}`,
    'GET /:locale/admin/requests/templates': () => '/:locale/admin/requests/templates',
    '* /:locale/admin/requests/templates/new': () => '/:locale/admin/requests/templates/new',
    '* /:locale/admin/requests/templates/:id': (f) => `/:locale/admin/requests/templates/${f.templateId}`,
    'POST /:locale/admin/requests/templates/:id/delete': (f) => `/:locale/admin/requests/templates/${f.templateId}/delete`,
    '* /:locale/admin/requests/holidays': () => '/:locale/admin/requests/holidays',
    'POST /:locale/admin/requests/holidays/:id/confirm': (f) => `/:locale/admin/requests/holidays/${f.holidayId}/confirm`,
    'POST /:locale/admin/requests/holidays/:id/shift': (f) => `/:locale/admin/requests/holidays/${f.holidayId}/shift`,
    'POST /:locale/admin/requests/holidays/:id/remove': (f) => `/:locale/admin/requests/holidays/${f.holidayId}/remove`,
    'POST /:locale/admin/requests/holidays/seed': () => '/:locale/admin/requests/holidays/seed',
    'GET /:locale/admin/requests/heads': () => '/:locale/admin/requests/heads',
    'POST /:locale/admin/requests/heads/:id': (f) => `/:locale/admin/requests/heads/${f.headInstitutionId}`,
    'GET /static/vendor/leaflet/*': () => '/static/vendor/leaflet/leaflet.css',
    'GET /open311/v2/:file': () => '/open311/v2/services.json',
    'GET /open311/v2/services/:file': (f) => `/open311/v2/services/${f.categorySlug}.json`,
    'GET /open311/v2/service/:file': (f) => `/open311/v2/service/${f.categorySlug}.xml`,
    'GET /open311/v2/requests/:file': (f) => `/open311/v2/requests/${f.requestRef}.json`,
    'GET /open311/v2/tokens/:file': (f) => `/open311/v2/tokens/${f.open311Token}.json`,
    'POST /open311/v2/:file': () => '/open311/v2/requests.json',
  },
  // A staff file and its actions: a request of the tests' department (travaux) and one of their operator.
  scoped: Object.fromEntries([
    ['GET /:locale/admin/requests/:ref', ''], ['POST /:locale/admin/requests/:ref/answer', '/answer'],
    ['POST /:locale/admin/requests/:ref/assign', '/assign'], ['POST /:locale/admin/requests/:ref/note', '/note'],
  ].map(([key, tail]) => [key, (f: any) => ['travaux', 'operateur-proprete'].map((s) => ({ path: `/:locale/admin/requests/${f.requestsByInstitution[s]}${tail}`, institution: s }))])),
  personal: ['reporterEmail', 'followerEmail'],
};
const staff = (f: Fixtures) => `/:locale/admin/requests/${f.requestRef}`;
export default fixtures;

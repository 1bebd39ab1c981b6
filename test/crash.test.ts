/**
 * Crash safety: the server process is killed (SIGKILL, no chance to clean up) while hundreds of
 * Open311 submissions are in flight, restarted on the same data, killed again… Afterwards every
 * acknowledged submission is there and intact, no refused one is, no submission is half-written
 * (a request without its timeline event, audit entry, counters, follower, mail or photo, or the
 * other way round), and `commune audit verify` passes. SQLite and PostgreSQL alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ENGINE } from './helpers.ts';
import { scratch, startServer, cli, seedForOpen311, type ServerProcess } from './processes.ts';
import { storagePath } from '../src/core/files/index.ts';

type Kind = 'valid' | 'no_service_code' | 'bad_key' | 'missing_attribute';
type Outcome = 'ack' | 'refused' | 'lost' | 'unsent' | 'server_error';

interface Sub {
  i: number;
  cycle: number;
  kind: Kind;
  marker: string;
  sent: { service_code: string; description: string; lat?: string; long?: string; address?: string; email?: string; photo: boolean };
  body: () => URLSearchParams | FormData;
  outcome: Outcome;
  status?: number;
  ref?: string;
  token?: string;
  inFlightAtKill?: boolean;
}

const CONCURRENCY = 32;
/** Acknowledgements after which the server is killed, one kill per entry. */
const KILL_AFTER = [110, 80];
const PER_CYCLE = 300;

test(`crash safety: SIGKILL during Open311 submissions loses no acknowledged one and half-writes none (${ENGINE})`, { timeout: 180_000 }, async (t) => {
  const started = Date.now();
  const s = scratch('commune-crash-');
  let server: ServerProcess | undefined;
  let verifying: ReturnType<typeof cli> | undefined;
  const lap = (what: string) => t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
  try {
    // First start: migrations and a bare commune; then its request categories and an Open311 key.
    server = await startServer(s.env);
    lap('first start');
    const apiKey = await seedForOpen311(s, 'crash test');
    lap('categories and API key');

    const run = randomBytes(4).toString('hex');
    const images = await Promise.all([0, 1, 2, 3].map((k) => sharp({ create: { width: 24, height: 16, channels: 3, background: { r: 40 * k, g: 200 - 30 * k, b: 90 } } }).jpeg().toBuffer()));
    const subs: Sub[] = [];
    const make = (i: number, cycle: number): Sub => {
      const kind: Kind = i % 10 === 3 ? 'no_service_code' : i % 10 === 7 ? 'bad_key' : i % 20 === 11 ? 'missing_attribute' : 'valid';
      const marker = `crash-${run}-${cycle}-${i}`;
      const dechets = i % 3 === 0;
      const service_code = dechets ? 'dechets' : 'eclairage';
      const sent: Sub['sent'] = {
        service_code, description: `${marker} ${dechets ? 'Bac plein rue' : 'Lampadaire éteint'} n°${i} — « ${'é'.repeat(i % 5)} »`,
        photo: kind === 'valid' && i % 25 === 5,
      };
      if (i % 2) { sent.lat = (35.56 + (i % 97) / 10_000).toFixed(6); sent.long = (-5.37 - (i % 89) / 10_000).toFixed(6); } else sent.address = `${i} avenue Mohammed V, Tétouan`;
      if (i % 4 === 0) sent.email = `reporter.${run}.${i}@example.org`;
      const fields: [string, string][] = [['api_key', kind === 'bad_key' ? `co_${randomBytes(18).toString('base64url')}` : apiKey]];
      if (kind !== 'no_service_code') fields.push(['service_code', service_code]);
      fields.push(['description', sent.description]);
      if (sent.lat) fields.push(['lat', sent.lat], ['long', sent.long!]); else fields.push(['address_string', sent.address!]);
      if (sent.email) fields.push(['email', sent.email]);
      if (kind !== 'missing_attribute') fields.push(dechets ? ['attribute[probleme]', 'bac-plein'] : ['attribute[nombre]', String(1 + (i % 4))]);
      const body = () => {
        if (!sent.photo) return new URLSearchParams(fields);
        const form = new FormData();
        for (const [k, v] of fields) form.append(k, v);
        form.append('media', new Blob([new Uint8Array(images[i % images.length])], { type: 'image/jpeg' }), `photo-${i}.jpg`);
        return form;
      };
      return { i, cycle, kind, marker, sent, body, outcome: 'unsent' };
    };

    // Kill cycles: submit with CONCURRENCY clients; after KILL_AFTER[c] acknowledgements, SIGKILL; restart.
    for (let cycle = 0; cycle < KILL_AFTER.length; cycle++) {
      const batch = Array.from({ length: PER_CYCLE }, (_, k) => make(cycle * PER_CYCLE + k, cycle));
      subs.push(...batch);
      const srv: ServerProcess = server!;
      const inflight = new Set<Sub>();
      let acks = 0, next = 0, killed = false;
      const kill = () => {
        if (killed) return;
        killed = true;
        for (const x of inflight) x.inFlightAtKill = true;
        srv.child.kill('SIGKILL');
      };
      const worker = async () => {
        while (!killed && next < batch.length) {
          const sub = batch[next++];
          inflight.add(sub);
          try {
            const res = await fetch(`${srv.url}/open311/v2/requests.json`, { method: 'POST', body: sub.body(), signal: AbortSignal.timeout(30_000) });
            const text = await res.text();
            sub.status = res.status;
            if (res.status === 200 || res.status === 201) {
              const [r] = JSON.parse(text) as { service_request_id: string; token: string }[];
              sub.outcome = 'ack'; sub.ref = r.service_request_id; sub.token = r.token;
              if (++acks >= KILL_AFTER[cycle]) kill();
            } else if (res.status >= 400 && res.status < 500) sub.outcome = 'refused';
            else sub.outcome = 'server_error';
          } catch {
            sub.outcome = 'lost';
          } finally { inflight.delete(sub); }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      assert.ok(killed, `cycle ${cycle}: the server was killed mid-stream (${acks} acknowledgements of ${batch.length})`);
      const exit: { signal: NodeJS.Signals | null } = await srv.exited;
      assert.equal(exit.signal, 'SIGKILL');
      const c = (o: Outcome) => batch.filter((x) => x.outcome === o).length;
      t.diagnostic(`cycle ${cycle + 1}: ${c('ack')} acknowledged, ${c('refused')} refused, ${batch.filter((x) => x.inFlightAtKill).length} in flight at the kill (${c('lost')} unanswered), ${c('unsent')} not sent`);
      // Restart on the same data: it must come up (recovery of the WAL / rolled-back transactions).
      lap(`cycle ${cycle + 1} done`);
      // After the last kill, `commune audit verify` (as the monitoring body would run it) alongside the restart.
      if (cycle === KILL_AFTER.length - 1) verifying = cli(s.env, 'audit', 'verify');
      server = await startServer(s.env);
      lap('restarted');
    }

    const by = (f: (x: Sub) => boolean) => subs.filter(f);
    const acked = by((x) => x.outcome === 'ack');
    const refused = by((x) => x.outcome === 'refused');
    const inFlight = by((x) => !!x.inFlightAtKill);
    assert.deepEqual(by((x) => x.outcome === 'lost' && !x.inFlightAtKill).map((x) => x.marker), [], 'only a kill loses an answer');
    assert.deepEqual(by((x) => x.outcome === 'server_error').map((x) => `${x.marker}: ${x.status}`), [], 'no server error before the kill');
    // Every refusal is one that had to be refused, and every answered valid submission was accepted.
    for (const x of refused) assert.notEqual(x.kind, 'valid', `${x.marker} (valid) was refused with ${x.status}`);
    for (const x of acked) assert.equal(x.kind, 'valid', `${x.marker} (${x.kind}) was acknowledged`);
    for (const x of refused) assert.equal(x.status, x.kind === 'bad_key' ? 403 : 400, `${x.marker}: ${x.kind} answered ${x.status}`);
    assert.ok(acked.length >= KILL_AFTER.reduce((a, b) => a + b, 0));
    assert.ok(refused.length > 50, `enough refusals to mean something (${refused.length})`);
    assert.ok(inFlight.length >= KILL_AFTER.length * 5, `requests were in flight at the kills (${inFlight.length})`);

    // Through the API of the restarted server: every acknowledged request, as it was sent.
    const seen = new Map<string, Record<string, unknown>>();
    for (let k = 0; k < acked.length; k += 150) {
      const ids = acked.slice(k, k + 150).map((x) => x.ref!).join(',');
      const res: Response = await fetch(`${server!.url}/open311/v2/requests.json?service_request_id=${encodeURIComponent(ids)}`);
      assert.equal(res.status, 200);
      for (const r of await res.json() as Record<string, unknown>[]) seen.set(String(r.service_request_id), r);
    }
    for (const x of acked) {
      const r = seen.get(x.ref!);
      assert.ok(r, `acknowledged ${x.ref} (${x.marker}) is served after the crashes`);
      assert.equal(r.description, x.sent.description);
      assert.equal(r.service_code, x.sent.service_code);
      if (x.sent.lat) { assert.equal(r.lat, Number(x.sent.lat)); assert.equal(r.long, Number(x.sent.long)); } else assert.equal(r.address, x.sent.address);
      if (x.sent.photo) assert.match(String(r.media_url), /\/requests\/photos\/\d+$/, `${x.ref}: its photo`);
    }
    // A token handed out before a crash still resolves.
    const sample = acked[Math.floor(acked.length / 2)];
    const tok = await fetch(`${server!.url}/open311/v2/tokens/${encodeURIComponent(sample.token!)}.json`);
    assert.equal(tok.status, 200);
    assert.equal((await tok.json() as { service_request_id: string }[])[0].service_request_id, sample.ref);

    lap('API checks');
    // A clean stop, then the database itself.
    const stop = await server!.stop('SIGTERM');
    server = undefined;
    assert.equal(stop.code, 0);
    const database = await s.open();
    let storedInFlight = 0;
    try {
      const db = database.db as any;
      const commune = await db.selectFrom('communes').select('id').where('slug', '=', 'tetouan').executeTakeFirstOrThrow();
      const rows: any[] = await db.selectFrom('requests as r').innerJoin('request_categories as c', (j: any) => j.onRef('c.commune_id', '=', 'r.commune_id').onRef('c.id', '=', 'r.category_id'))
        .select(['r.id', 'r.reference', 'r.description', 'r.address', 'r.lat', 'r.lng', 'r.channel', 'r.reporter_email', 'r.status', 'c.slug'])
        .where('r.commune_id', '=', commune.id).where('r.description', 'like', `crash-${run}-%`).execute();
      const byMarker = new Map(subs.map((x) => [x.marker, x]));
      const stored = new Map<string, any>();
      for (const r of rows) {
        const marker = String(r.description).split(' ')[0];
        const x = byMarker.get(marker);
        assert.ok(x, `${r.reference}: a stored request the test sent`);
        assert.ok(!stored.has(marker), `${marker} stored once only`);
        stored.set(marker, r);
        assert.equal(x.kind, 'valid', `${marker} (${x.kind}, answered ${x.status ?? 'nothing'}) must not be stored`);
        assert.ok(x.outcome === 'ack' || x.outcome === 'lost', `${marker} stored although ${x.outcome}`);
        if (x.outcome === 'ack') assert.equal(r.reference, x.ref);
        else storedInFlight++;
        // Intact: what was sent, whether or not its answer arrived.
        assert.equal(r.description, x.sent.description);
        assert.equal(r.slug, x.sent.service_code);
        assert.equal(r.channel, 'api');
        assert.equal(r.status, 'submitted');
        assert.equal(r.reporter_email, x.sent.email ?? null);
        if (x.sent.lat) { assert.equal(r.lat, Number(x.sent.lat)); assert.equal(r.lng, Number(x.sent.long)); } else assert.equal(r.address, x.sent.address);
      }
      for (const x of acked) assert.ok(stored.has(x.marker), `acknowledged ${x.ref} is in the database`);

      // Not half-written: each stored request has exactly its submission's other rows, and nothing else exists.
      const ids = rows.map((r) => r.id);
      const refs = rows.map((r) => r.reference);
      const group = async (table: string, col: string, where: (q: any) => any) => {
        const out = new Map<unknown, number>();
        for (let k = 0; k < Math.max(ids.length, 1); k += 500) {
          const chunk = col === 'entity_id' ? refs.slice(k, k + 500) : ids.slice(k, k + 500);
          if (!chunk.length) break;
          const rs: any[] = await where(db.selectFrom(table).select([col, (eb: any) => eb.fn.countAll().as('n')]).where('commune_id', '=', commune.id).where(col, 'in', chunk)).groupBy(col).execute();
          for (const r of rs) out.set(r[col], Number(r.n));
        }
        return out;
      };
      const events = await group('request_events', 'request_id', (q) => q.where('kind', '=', 'submitted'));
      const audits = await group('audit_log', 'entity_id', (q) => q.where('action', '=', 'request.submit').where('entity', '=', 'request'));
      const followers = await group('request_followers', 'request_id', (q) => q.where('is_reporter', '=', 1));
      const photos = await group('request_photos', 'request_id', (q) => q);
      for (const r of rows) {
        const x = byMarker.get(String(r.description).split(' ')[0])!;
        assert.equal(events.get(r.id), 1, `${r.reference}: its "submitted" timeline event`);
        assert.equal(audits.get(r.reference), 1, `${r.reference}: its audit entry`);
        assert.equal(followers.get(r.id) ?? 0, x.sent.email ? 1 : 0, `${r.reference}: its reporter as follower`);
        assert.equal(photos.get(r.id) ?? 0, x.sent.photo ? 1 : 0, `${r.reference}: its photo`);
      }
      // Mails: one confirmation per stored request with an email, none for one that is not stored.
      const mails: any[] = await db.selectFrom('outbox').select('to_addr').where('commune_id', '=', commune.id).where('to_addr', 'like', `reporter.${run}.%`).execute();
      const expectedMails = rows.filter((r) => r.reporter_email).map((r) => r.reporter_email).sort();
      assert.deepEqual(mails.map((m) => m.to_addr).sort(), expectedMails, 'one confirmation mail per stored request with an email, no other');
      // Photos: the file row and the file on disk, whole.
      const files: any[] = await db.selectFrom('request_photos as p').innerJoin('files as f', (j: any) => j.onRef('f.commune_id', '=', 'p.commune_id').onRef('f.id', '=', 'p.file_id'))
        .select(['f.sha256', 'f.kind', 'f.size']).where('p.commune_id', '=', commune.id).where('p.request_id', 'in', ids.length ? ids : [-1]).execute();
      assert.equal(files.length, rows.filter((r) => byMarker.get(String(r.description).split(' ')[0])!.sent.photo).length);
      for (const f of files) {
        const data = fs.readFileSync(storagePath(s.dataDir, commune.id, f.sha256, f.kind));
        assert.equal(data.length, f.size);
        assert.equal(createHash('sha256').update(data).digest('hex'), f.sha256);
      }
      // Whole-database invariants: requests, "submitted" events, submission audit entries and the dashboards' counters agree.
      const one = async (q: any) => Number((await q.executeTakeFirstOrThrow()).n);
      const nRequests = await one(db.selectFrom('requests').select((eb: any) => eb.fn.countAll().as('n')));
      assert.equal(await one(db.selectFrom('request_events').where('kind', '=', 'submitted').select((eb: any) => eb.fn.countAll().as('n'))), nRequests);
      assert.equal(await one(db.selectFrom('audit_log').where('action', '=', 'request.submit').select((eb: any) => eb.fn.countAll().as('n'))), nRequests);
      assert.equal(await one(db.selectFrom('request_stats').select((eb: any) => eb.fn.sum('n').as('n'))), nRequests, 'dashboard counters match the requests');
      assert.equal(await one(db.selectFrom('requests').select((eb: any) => eb.fn.count('reference').distinct().as('n'))), nRequests, 'references are unique');
    } finally { await database.close(); }

    lap('database checks');
    // The audit chain survived the crashes, checked by the CLI as the monitoring body would.
    const verify = await verifying!;
    assert.equal(verify.code, 0, verify.err);
    assert.match(verify.out, /Audit chain intact: \d+ entries/);

    const summary = `${ENGINE}: ${KILL_AFTER.length} kills; ${subs.filter((x) => x.outcome !== 'unsent').length} sent, ${acked.length} acknowledged (all stored, intact), `
      + `${refused.length} refused (none stored), ${inFlight.length} in flight at the kills (${storedInFlight} of them committed without an answer, `
      + `${inFlight.length - storedInFlight - inFlight.filter((x) => x.outcome !== 'lost').length} not stored, ${inFlight.filter((x) => x.outcome !== 'lost').length} answered just before the kill) — ${((Date.now() - started) / 1000).toFixed(1)} s`;
    t.diagnostic(summary);
    console.log(summary);
  } finally {
    if (server) await server.stop('SIGKILL');
    if (verifying) await verifying;
    await s.cleanup();
  }
});

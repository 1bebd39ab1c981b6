import { z } from 'zod';
import { ValidationError } from '../../core/http/errors.ts';
import { parseInput, text, optionalText, optionalInt, email, oneOf, checkbox, translatedFields, collectTranslated, isoDate } from '../../core/http/forms.ts';
import { TIME_ZONE } from '../../core/clock/index.ts';
import { PROCESS_STATUSES, PHASES, MEETING_KINDS, MEETING_MODES, MEETING_STATUSES, ORG_TYPES, AGE_BANDS, SEXES, SECTORS, ANSWERS, THEMES } from './schema.ts';
import { targetsFromText } from './rules.ts';
import type { ProcessInput, MeetingInput, PersonInput, ProposalInput, AnswerInput, PhaseInput } from './service.ts';
import type { RegistryFilter } from './repo.ts';

/** Form input → the typed input of a service verb; each throws a ValidationError naming the form's fields. */

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : Array.isArray(v) ? String(v[0] ?? '').trim() : '');
const maybe = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess((v) => str(v) || null, z.enum(values).nullable());

/** The offset of the commune's zone at a UTC instant, in minutes. */
function zoneOffset(utcMs: number): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute);
  return Math.round((asUtc - Math.floor(utcMs / 60_000) * 60_000) / 60_000);
}
/** `YYYY-MM-DDTHH:MM` in the commune's time → ISO UTC; null when malformed. */
export function localToUtc(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  if (Number.isNaN(guess) || new Date(guess).getUTCDate() !== +m[3] || +m[4] > 23 || +m[5] > 59) return null;
  return new Date(guess - zoneOffset(guess) * 60_000).toISOString();
}
/** ISO UTC → `YYYY-MM-DDTHH:MM` in the commune's time (the form's value). */
export function utcToLocal(isoValue: string | null | undefined): string {
  if (!isoValue) return '';
  const t = new Date(isoValue).getTime();
  if (Number.isNaN(t)) return '';
  return new Date(t + zoneOffset(t) * 60_000).toISOString().slice(0, 16);
}
const localTime = () => z.preprocess((v) => str(v), z.string().min(1).transform((s, c) => {
  const u = localToUtc(s);
  if (!u) { c.addIssue({ code: 'custom', message: 'errors.format' }); return z.NEVER; }
  return u;
}));
const optionalLocalTime = () => z.preprocess((v) => str(v), z.string().transform((s, c) => {
  if (!s) return null;
  const u = localToUtc(s);
  if (!u) { c.addIssue({ code: 'custom', message: 'errors.format' }); return z.NEVER; }
  return u;
}));

/** Phases as lines `kind YYYY-MM-DD YYYY-MM-DD`. */
export function phasesFromText(s: string): PhaseInput[] | null {
  const out: PhaseInput[] = [];
  for (const line of s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const m = /^([a-z_]+)\s+(\d{4}-\d{2}-\d{2})\s+(\d{4}-\d{2}-\d{2})$/.exec(line);
    if (!m || !(PHASES as readonly string[]).includes(m[1]) || Number.isNaN(Date.parse(m[2])) || Number.isNaN(Date.parse(m[3]))) return null;
    out.push({ kind: m[1], startsOn: m[2], endsOn: m[3] });
  }
  return out;
}
export const phasesToText = (phases: { kind: string; startsOn: string; endsOn: string }[]) => phases.map((p) => `${p.kind} ${p.startsOn} ${p.endsOn}`).join('\n');

const processFields = {
  ...translatedFields('title', 200),
  ...translatedFields('description', 5000, false),
  ...translatedFields('results', 10000, false),
  status: oneOf(PROCESS_STATUSES),
  plan_id: optionalInt(1),
  body_id: optionalInt(1),
  phases: optionalText(2000),
  sample: checkbox(),
};
function toProcess(d: Record<string, any>): Omit<ProcessInput, 'slug'> {
  const phases = phasesFromText(d.phases);
  if (!phases) throw new ValidationError({ phases: { key: 'participation.errors.phases' } });
  return {
    title: collectTranslated(d, 'title'), description: collectTranslated(d, 'description'), results: collectTranslated(d, 'results'),
    status: d.status, planId: d.plan_id, bodyId: d.body_id, phases, sample: d.sample,
  };
}
export function newProcessFromForm(input: unknown): ProcessInput {
  const d = parseInput(z.object({ slug: text(60).refine((s) => SLUG.test(s), { error: 'errors.format' }), ...processFields }), input);
  return { slug: d.slug, ...toProcess(d) };
}
export function processFromForm(input: unknown): Omit<ProcessInput, 'slug'> {
  return toProcess(parseInput(z.object(processFields), input));
}

const meetingSchema = z.object({
  kind: oneOf(MEETING_KINDS),
  ...translatedFields('title', 200),
  ...translatedFields('agenda', 5000, false),
  ...translatedFields('minutes', 20000, false),
  ...translatedFields('outcomes', 20000, false),
  mode: oneOf(MEETING_MODES),
  place: optionalText(300),
  district: optionalText(120),
  online_url: optionalText(500).refine((s) => s === '' || /^https:\/\/[^\s<>"]+$/.test(s), { error: 'errors.format' }),
  starts_at: localTime(),
  ends_at: localTime(),
  capacity: optionalInt(1, 100_000),
  registration_opens_at: optionalLocalTime(),
  registration_closes_at: optionalLocalTime(),
  invitation_only: checkbox(),
  status: oneOf(MEETING_STATUSES),
  targets: optionalText(2000),
});
export function meetingFromForm(input: unknown): MeetingInput {
  const d = parseInput(meetingSchema, input);
  const targets = targetsFromText(d.targets);
  if (!targets) throw new ValidationError({ targets: { key: 'participation.errors.targets' } });
  return {
    kind: d.kind, title: collectTranslated(d, 'title'), agenda: collectTranslated(d, 'agenda'), minutes: collectTranslated(d, 'minutes'),
    outcomes: collectTranslated(d, 'outcomes'), mode: d.mode, place: d.place, district: d.district, onlineUrl: d.online_url,
    startsAt: d.starts_at, endsAt: d.ends_at, capacity: d.capacity, registrationOpensAt: d.registration_opens_at,
    registrationClosesAt: d.registration_closes_at, invitationOnly: d.invitation_only, status: d.status, targets,
  };
}

const personFields = {
  name: text(120),
  phone: optionalText(40).refine((s) => s === '' || /^[+0-9 ().-]{6,40}$/.test(s), { error: 'errors.format' }),
  organisation: optionalText(200),
  org_type: z.preprocess((v) => str(v) || 'none', z.enum(ORG_TYPES)),
  consent: checkbox(),
  age_band: maybe(AGE_BANDS),
  sex: maybe(SEXES),
  district: optionalText(120),
  activist: checkbox(), expert: checkbox(), resource_person: checkbox(),
  sector: maybe(SECTORS),
};
const optionalEmail = () => z.preprocess((v) => str(v), z.union([z.literal(''), z.string().max(254).pipe(z.email())])).transform((s) => s || null);
function toPerson(d: Record<string, any>): PersonInput {
  return {
    name: d.name, email: d.email ?? null, phone: d.phone || null, organisation: d.organisation || null, orgType: d.org_type, consent: d.consent,
    ageBand: d.age_band, sex: d.sex, district: d.district || null, activist: d.activist, expert: d.expert, resourcePerson: d.resource_person, sector: d.sector,
  };
}
/** Online registration: the email is required (unless signed in: the account's). */
export function personFromForm(input: unknown, signedIn: boolean): PersonInput {
  const schema = z.object({ ...personFields, ...(signedIn ? { name: optionalText(120) } : { email: email() }) });
  return toPerson(parseInput(schema, input));
}
/** At the counter or the door: no email needed. */
export function personForFromForm(input: unknown): PersonInput {
  return toPerson(parseInput(z.object({ ...personFields, email: optionalEmail() }), input));
}

export function proposalFromForm(input: unknown, signedIn: boolean): ProposalInput {
  const d = parseInput(z.object({
    title: text(200), body: z.preprocess((v) => str(v), z.string().min(10, { error: 'errors.tooShort' }).max(5000)),
    theme: z.preprocess((v) => str(v), z.union([z.literal(''), z.enum(THEMES)])), district: optionalText(120),
    ...(signedIn ? {} : { name: text(120), email: email() }),
  }), input) as Record<string, any>;
  return { title: d.title, body: d.body, theme: d.theme, district: d.district, name: d.name, email: d.email ?? null };
}
export function proposalForFromForm(input: unknown): ProposalInput {
  const d = parseInput(z.object({
    title: text(200), body: z.preprocess((v) => str(v), z.string().min(10).max(5000)),
    theme: z.preprocess((v) => str(v), z.union([z.literal(''), z.enum(THEMES)])), district: optionalText(120),
    channel: oneOf(['counter', 'workshop'] as const), meeting_id: optionalInt(1), name: optionalText(120), email: optionalEmail(),
  }), input);
  return { title: d.title, body: d.body, theme: d.theme, district: d.district, channel: d.channel, meetingId: d.meeting_id, name: d.name, email: d.email };
}

export function answerFromForm(input: unknown): AnswerInput {
  const d = parseInput(z.object({ answer: oneOf(ANSWERS), ...translatedFields('text', 5000, false), merged_into: optionalInt(1), commitment_id: optionalInt(1) }), input);
  return { answer: d.answer, text: collectTranslated(d, 'text'), mergedInto: d.merged_into, commitmentId: d.commitment_id };
}
export function moderationFromForm(input: unknown): { hide: boolean; reason: string | null } {
  const d = parseInput(z.object({ action: oneOf(['hide', 'show'] as const), reason: optionalText(500) }), input);
  return { hide: d.action === 'hide', reason: d.reason || null };
}

/** The door form: `present` checkboxes (registration ids) and `group_{id}` fields. */
export function attendanceFromForm(input: unknown): { present: number[]; groups: Record<number, string> } {
  const body = (input ?? {}) as Record<string, unknown>;
  const raw = body.present;
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  if (list.some((x) => !/^\d{1,9}$/.test(x)) || list.length > 5000) throw new ValidationError({ present: { key: 'errors.invalid' } });
  const groups: Record<number, string> = {};
  for (const [k, v] of Object.entries(body)) {
    const m = /^group_(\d{1,9})$/.exec(k);
    if (m) {
      const g = str(v);
      if (g.length > 60) throw new ValidationError({ [k]: { key: 'errors.tooLong', params: { max: 60 } } });
      groups[Number(m[1])] = g;
    }
  }
  return { present: list.map(Number), groups };
}

/** Registry filters from a query string (unknown values are ignored, never an error). */
export function registryFilter(q: unknown): RegistryFilter {
  const g = (k: string) => str((q as Record<string, unknown> | undefined)?.[k]);
  const pick = (k: string, values: readonly string[]) => (values.includes(g(k)) ? g(k) : undefined);
  return {
    orgType: pick('org_type', ORG_TYPES), sex: pick('sex', SEXES), ageBand: pick('age_band', AGE_BANDS), district: g('district').slice(0, 120) || undefined,
    activist: g('activist') === '1' || undefined, expert: g('expert') === '1' || undefined,
  };
}
export const dateOnly = isoDate;

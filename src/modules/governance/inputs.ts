import { z } from 'zod';
import { ValidationError, type FieldErrors } from '../../core/http/errors.ts';
import { fieldErrors, parseInput, text, optionalText, optionalInt, int, isoDate, optionalDate, oneOf, checkbox, translatedFields, collectTranslated } from '../../core/http/forms.ts';
import { BODY_KINDS, DECISION_RULES, SIDES, OUTCOMES } from './schema.ts';
import { INSTITUTION_KINDS, type InstitutionInput, type InstitutionUpdate } from './institutions.ts';
import type { BodyInput, BodyUpdate, MemberInput, EndInput, DecisionInput, EndorsementInput } from './service.ts';

/** Form input → the typed input of a service verb. Each throws a ValidationError naming the form's fields. */

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slug = () => text(60).refine((s) => SLUG.test(s), { error: 'errors.format' });

const raw = (input: unknown, name: string): string => {
  const v = (input as Record<string, unknown> | null | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : Array.isArray(v) ? String(v[0] ?? '').trim() : '';
};

const bodyFields = {
  kind: oneOf(BODY_KINDS),
  ...translatedFields('name', 200),
  ...translatedFields('description', 5000, false),
  parity: checkbox(),
  decision_rule: oneOf(DECISION_RULES),
  sample: checkbox(),
  sort: optionalInt(0, 10_000),
};
const bodySchema = z.object(bodyFields);
const newBodySchema = z.object({ slug: slug(), ...bodyFields });

function toBodyUpdate(d: z.output<typeof bodySchema>): BodyUpdate {
  return {
    kind: d.kind, name: collectTranslated(d, 'name'), description: collectTranslated(d, 'description'), parity: d.parity,
    decisionRule: d.decision_rule, sample: d.sample, sort: d.sort ?? 0,
  };
}
export function newBodyFromForm(input: unknown): BodyInput {
  const d = parseInput(newBodySchema, input);
  return { slug: d.slug, ...toBodyUpdate(d) };
}
export function bodyFromForm(input: unknown): BodyUpdate {
  return toBodyUpdate(parseInput(bodySchema, input));
}

/** One person's fields, named with a prefix so that two people (or many forms) share a page. */
const memberSchema = (p: string) => z.object({
  [`${p}name`]: text(200),
  [`${p}side`]: oneOf(SIDES),
  [`${p}institution_id`]: optionalInt(1),
  ...translatedFields(`${p}role`, 200, false),
  [`${p}since`]: isoDate(),
});
function toMember(d: Record<string, any>, p: string): MemberInput {
  return {
    personName: d[`${p}name`], side: d[`${p}side`], institutionId: d[`${p}institution_id`] ?? null,
    roleTitle: collectTranslated(d, `${p}role`), since: d[`${p}since`],
  };
}
export function memberFromForm(input: unknown, p = ''): MemberInput {
  return toMember(parseInput(memberSchema(p), input), p);
}

/** The "add members" form: person a, and person b when a name is given for them. */
export function membersFromForm(input: unknown): MemberInput[] {
  const prefixes = raw(input, 'b_name') ? ['a_', 'b_'] : ['a_'];
  const errors: FieldErrors = {};
  const out: MemberInput[] = [];
  for (const p of prefixes) {
    const r = memberSchema(p).safeParse(input ?? {});
    if (r.success) out.push(toMember(r.data, p)); else Object.assign(errors, fieldErrors(r.error));
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return out;
}

/** The "end membership" form of one member; its fields carry the prefix `e{memberId}_`. */
export const endPrefix = (memberId: number) => `e${memberId}_`;
export function endFromForm(input: unknown, p: string): EndInput {
  const d = parseInput(z.object({
    [`${p}until`]: optionalDate(),
    [`${p}r_name`]: optionalText(200),
    [`${p}r_institution_id`]: optionalInt(1),
    ...translatedFields(`${p}r_role`, 200, false),
  }), input) as Record<string, any>;
  const name: string = d[`${p}r_name`];
  return {
    until: d[`${p}until`],
    replacement: name ? { personName: name, institutionId: d[`${p}r_institution_id`] ?? null, roleTitle: collectTranslated(d, `${p}r_role`) } : null,
  };
}

const decisionSchema = z.object({
  decided_on: isoDate(),
  ...translatedFields('title', 300),
  outcome: oneOf(OUTCOMES),
  ...translatedFields('notes', 5000, false),
  decision_sample: checkbox(),
});
export function decisionFromForm(input: unknown): DecisionInput {
  const d = parseInput(decisionSchema, input);
  return { decidedOn: d.decided_on, title: collectTranslated(d, 'title'), outcome: d.outcome, notes: collectTranslated(d, 'notes'), sample: d.decision_sample };
}
/** The decision form of the decisions page also names the body. */
export function decisionBodyFromForm(input: unknown): number {
  return parseInput(z.object({ body_id: int(1) }), input).body_id;
}

const institutionFields = {
  kind: oneOf(INSTITUTION_KINDS),
  ...translatedFields('name', 300),
  ...translatedFields('description', 5000, false),
  lead: checkbox(),
  sample: checkbox(),
  sort: optionalInt(0, 10_000),
};
const institutionSchema = z.object(institutionFields);
const newInstitutionSchema = z.object({ slug: slug(), ...institutionFields });
function toInstitutionUpdate(d: z.output<typeof institutionSchema>): InstitutionUpdate {
  return { kind: d.kind, name: collectTranslated(d, 'name'), description: collectTranslated(d, 'description'), lead: d.lead, sample: d.sample, sort: d.sort ?? 0 };
}
export function newInstitutionFromForm(input: unknown): InstitutionInput {
  const d = parseInput(newInstitutionSchema, input);
  return { slug: d.slug, ...toInstitutionUpdate(d) };
}
export function institutionFromForm(input: unknown): InstitutionUpdate {
  return toInstitutionUpdate(parseInput(institutionSchema, input));
}

const endorsementSchema = z.object({
  person_name: text(200),
  ...translatedFields('person_title', 200),
  institution_id: int(1),
  endorsed_on: optionalDate(),
  ...translatedFields('statement', 5000, false),
  sort: optionalInt(0, 10_000),
});
export function endorsementFromForm(input: unknown): EndorsementInput {
  const d = parseInput(endorsementSchema, input);
  return {
    personName: d.person_name, personTitle: collectTranslated(d, 'person_title'), institutionId: d.institution_id,
    endorsedOn: d.endorsed_on, statement: collectTranslated(d, 'statement'), sort: d.sort ?? 0,
  };
}

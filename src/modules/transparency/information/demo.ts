import type { Ctx } from '../../../core/service.ts';
import { addDays } from '../../../core/clock/index.ts';
import * as svc from './service.ts';

const at = (ctx: Ctx, d: Date): Ctx => ({ ...ctx, clock: { now: () => d } });

/**
 * The legal grounds of article 7, and a dozen sample requests (marked sample) in every state: answered within the
 * deadline, refused then complained about and taken to the CDAI, partly given with a document, not held, extended,
 * waiting for a clarification, urgent, withdrawn, past its deadline, hidden, redacted. No requester has an email, so
 * the demo sends no mail.
 */
export async function seedInformation(ctx: Ctx): Promise<void> {
  await svc.seedGrounds(ctx);
  const now = ctx.clock.now();
  const ago = (days: number, hour = 10) => { const d = addDays(now, -days); d.setUTCHours(hour, 0, 0, 0); return d; };
  const file = async (days: number, channel: 'web' | 'counter' | 'phone', question: string, extra: Record<string, unknown> = {}) =>
    (await svc.submitRequest(at(ctx, ago(days)), { question, answer_form: 'on_site', name: 'Demandeur exemple', ...extra }, { channel, sample: true })).reference;
  const answer = (days: number, ref: string, input: Record<string, unknown>) => svc.answer(at(ctx, ago(days, 15)), ref, input);

  const a = await file(60, 'web', 'Je souhaite consulter le budget de la commune pour l’année en cours, par chapitre.');
  await answer(52, a, { outcome: 'given', message: 'Le budget est consultable au service financier, et publié sur la page des documents.', document_url: '/documents' });

  const b = await file(70, 'counter', 'Liste nominative des bénéficiaires des aides sociales de la commune en 2025.');
  await answer(55, b, { outcome: 'refused', ground: 'private-life', motivation: 'La liste contient des données personnelles des bénéficiaires ; le nombre de bénéficiaires par quartier peut être communiqué sur demande.' });
  await svc.complain(at(ctx, ago(50)), { reference: b }, { complaint: 'Je demande au moins la liste anonymisée.' });
  await svc.answerComplaint(at(ctx, ago(40)), b, { outcome: 'partly_upheld', decision: 'Le nombre de bénéficiaires par quartier sera communiqué ; la liste nominative reste protégée.' });
  await svc.referToCdai(at(ctx, ago(35)), { reference: b });

  const c = await file(45, 'phone', 'Les procès-verbaux des sessions du conseil de l’année dernière.');
  await answer(33, c, { outcome: 'partial', message: 'Les procès-verbaux des sessions ordinaires sont joints par lien ; celui de la session extraordinaire est en cours d’approbation.', document_url: '/documents', ground: 'deliberations', motivation: 'Le procès-verbal non encore approuvé ne peut être communiqué.' });

  const d = await file(40, 'web', 'Le calendrier des travaux de la ligne de tramway.');
  await answer(34, d, { outcome: 'not_held', message: 'La commune ne détient pas cette information.', holder_body: 'Société de développement local (maître d’ouvrage)' });

  const e = await file(24, 'counter', 'Le nombre de permis de construire délivrés par arrondissement depuis 2022.');
  await svc.extend(at(ctx, ago(5)), e, { reason: 'Les données sont à rassembler auprès de trois arrondissements.' });

  const f = await file(8, 'web', 'Les contrats de gestion déléguée.');
  await svc.askClarification(at(ctx, ago(6)), f, { question: 'Quels contrats : la propreté, le transport urbain, ou l’éclairage public ?' });

  await file(1, 'phone', 'Les points d’eau potable accessibles pendant la coupure annoncée dans le quartier.', { urgent: '1', urgent_reason: 'Coupure d’eau prolongée touchant des personnes âgées.' });

  const h = await file(20, 'web', 'Le règlement intérieur du conseil communal.');
  await svc.withdraw(at(ctx, ago(18)), { reference: h });

  await file(45, 'counter', 'Les rapports de l’inspection d’hygiène des marchés municipaux.');

  const j = await file(30, 'web', 'La liste des marchés publics attribués en 2025, avec leurs montants.');
  await answer(22, j, { outcome: 'given', message: 'La liste est jointe. Contact du service : M. Exemple, téléphone 0539 00 00 00.' });
  await svc.redactAnswer(at(ctx, ago(21)), j, { public_answer: 'La liste est jointe. Contact du service : […]', reason: 'Coordonnées personnelles d’un agent.' });

  const k = await file(28, 'web', 'Question déposée en double par erreur.');
  await answer(27, k, { outcome: 'given', message: 'Voir la demande précédente.' });
  await svc.setHidden(at(ctx, ago(26)), k, true, { reason: 'Doublon d’une autre demande.' });
}

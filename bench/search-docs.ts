/**
 * Synthetic documents for the search benchmark (and for any test that needs many long texts): about
 * `kb` KB of text each, French and Arabic paragraphs mixed, deterministic (same seed and index, same
 * document). Words follow a Zipf-like law over a vocabulary of real French and Arabic words of
 * municipal documents, made larger with numbered variants (a rare word exists in few documents, a
 * common one in nearly all), so that queries can be chosen by how many documents they match.
 */
import type { SearchDoc } from '../src/core/search/index.ts';
import { seeded } from './lib.ts';

const FR = `budget commune conseil délibération séance marché travaux voirie éclairage assainissement eau déchets collecte quartier
arrondissement médina association citoyen participation transparence rapport annexe article décision vote approbation dépense recette
investissement fonctionnement subvention convention partenariat programme projet étude plan urbanisme permis construction patrimoine
culture sport jeunesse femmes enfants école santé hôpital transport bus stationnement parking route trottoir jardin parc environnement
énergie solaire numérique données ouvertes accès information réclamation pétition commission présidence vice-président conseiller
rapporteur procès-verbal ordre jour session ordinaire extraordinaire exercice comptable trésorerie impôt taxe redevance location
occupation domaine public contrat appel offres attribution fournisseur prestataire contrôle audit cour comptes région province préfecture`
  .split(/\s+/);
const AR = `الميزانية الجماعة المجلس مداولة الدورة الصفقة الأشغال الطرق الإنارة التطهير الماء النفايات جمع الحي المقاطعة المدينة العتيقة الجمعية
المواطن المشاركة الشفافية التقرير الملحق المادة القرار التصويت المصادقة النفقات المداخيل الاستثمار التسيير الدعم الاتفاقية الشراكة البرنامج
المشروع الدراسة التصميم التعمير رخصة البناء التراث الثقافة الرياضة الشباب النساء الأطفال المدرسة الصحة المستشفى النقل الحافلة الوقوف
الطريق الرصيف الحديقة البيئة الطاقة الشمسية الرقمية المعطيات المفتوحة الحصول المعلومات الشكاية العريضة اللجنة الرئاسة نائب الرئيس المستشار
المقرر المحضر جدول الأعمال العادية الاستثنائية السنة المالية المحاسبة الخزينة الضريبة الرسم الإتاوة الكراء الاحتلال الملك العمومي العقد
طلب العروض الإسناد المورد المتعهد المراقبة الافتحاص المجلس الأعلى للحسابات الجهة الإقليم العمالة`
  .split(/\s+/);
/** Numbered variants of each word (budget, budget2…): the rank of a word in the Zipf law decides how often it is drawn. */
const VARIANTS = 40;

export interface Vocabulary { fr: string[]; ar: string[] }

/** Word i of the vocabulary, most frequent first. */
function vocabulary(): Vocabulary {
  const fr: string[] = [], ar: string[] = [];
  for (let v = 0; v < VARIANTS; v++) {
    for (const w of FR) fr.push(v ? `${w}${v + 1}` : w);
    for (const w of AR) ar.push(v ? `${w}${v + 1}` : w);
  }
  return { fr, ar };
}
export const VOCABULARY = vocabulary();

/** A Zipf-like draw (exponent about 1) of an index in [0, n). */
function zipf(rnd: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(rnd() * Math.log(n + 1))) - 1);
}

function sentence(rnd: () => number, words: string[], len: number): string {
  const out: string[] = [];
  for (let i = 0; i < len; i++) out.push(words[zipf(rnd, words.length)]);
  const s = out.join(' ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

/** Document `i` of the set with this seed: about `kb` KB of text, half its paragraphs in French and half in Arabic. */
export function syntheticDoc(seed: number, i: number, kb = 50, kind = 'bench_document'): SearchDoc {
  const rnd = seeded(seed * 1_000_003 + i + 1);
  const paragraphs: string[] = [];
  let size = 0;
  while (size < kb * 1024) {
    const ar = rnd() < 0.5;
    const words = ar ? VOCABULARY.ar : VOCABULARY.fr;
    const p = Array.from({ length: 3 + Math.floor(rnd() * 4) }, () => sentence(rnd, words, 8 + Math.floor(rnd() * 12))).join(' ');
    paragraphs.push(p);
    size += Buffer.byteLength(p) + 1;
  }
  const titleFr = sentence(rnd, VOCABULARY.fr, 6).slice(0, -1);
  const titleAr = sentence(rnd, VOCABULARY.ar, 6).slice(0, -1);
  const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(rnd() * 6 * 365) * 86_400_000).toISOString().slice(0, 10);
  return {
    kind, key: `bench-${i}`, title: { fr: `Document ${i} : ${titleFr}`, ar: `الوثيقة ${i}: ${titleAr}` },
    text: paragraphs.join('\n'), path: `/documents/bench-${i}`, date: day, visible: true,
  };
}

export function* syntheticDocs(seed: number, count: number, kb = 50, kind = 'bench_document'): Iterable<SearchDoc> {
  for (let i = 0; i < count; i++) yield syntheticDoc(seed, i, kb, kind);
}

/**
 * Queries as people type them: one to three words of the vocabulary (drawn by the same law: common
 * words often, rare ones sometimes; one word in about half of them, two in a third), in French or in
 * Arabic (sometimes with the article on, or accents off), the last one sometimes cut to its first
 * letters (prefix). Every query is different from the others (compared as normalised by the search:
 * no two ask for the same words), so that a benchmark that sends each once measures searches, not a
 * cache.
 */
export function syntheticQueries(seed: number, count: number, normalise: (q: string) => string = (q) => q.toLowerCase()): string[] {
  const rnd = seeded(seed + 99);
  const out: string[] = [];
  const seen = new Set<string>();
  for (let tries = 0; out.length < count && tries < count * 50; tries++) {
    const ar = rnd() < 0.5;
    const words = ar ? VOCABULARY.ar : VOCABULARY.fr;
    const n = 1 + Math.floor(rnd() * rnd() * 3);
    const q = Array.from({ length: n }, () => words[zipf(rnd, words.length)]);
    if (rnd() < 0.2) { const last = q[q.length - 1]; q[q.length - 1] = last.slice(0, Math.max(3, Math.ceil(last.length * 0.6))); }
    if (!ar && rnd() < 0.3) q[0] = q[0].normalize('NFD').replace(/\p{M}/gu, '');
    const text = q.join(' ');
    const key = normalise(text);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(text);
  }
  return out;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { i18n } from '../src/platform.ts';
import i18next from 'i18next';
import { flattenKeys, LOCALES, negotiateLocale, formatDate, formatNumber, templateParts, fill } from '../src/core/i18n/index.ts';

test('every catalog key exists in every locale, with a non-empty text', async () => {
  const { catalogs } = await i18n();
  const sets = Object.fromEntries(LOCALES.map((l) => [l, new Set(flattenKeys(catalogs[l]))]));
  const all = new Set(LOCALES.flatMap((l) => [...sets[l]]));
  const missing: string[] = [];
  for (const key of all) for (const l of LOCALES) if (!sets[l].has(key)) missing.push(`${l}: ${key}`);
  assert.deepEqual(missing, [], `missing translations:\n${missing.join('\n')}`);
  for (const l of LOCALES) for (const key of sets[l]) {
    const v = key.split('.').reduce<any>((o, k) => o?.[k], catalogs[l]);
    assert.ok(typeof v === 'string' && v.trim() !== '', `${l}: ${key} is empty`);
  }
  assert.ok(all.size > 100, `only ${all.size} keys`);
});

test('Arabic texts are written in Arabic script', async () => {
  const { catalogs } = await i18n();
  const keys = flattenKeys(catalogs.ar);
  const latinOnly = keys.filter((k) => {
    const v = k.split('.').reduce<any>((o, x) => o?.[x], catalogs.ar) as string;
    return /[A-Za-zÀ-ÿ]{4,}/.test(v.replace(/\{\{[^}]+\}\}/g, '')) && !/[\u0600-\u06FF]/.test(v);
  });
  assert.deepEqual(latinOnly, []);
});

/** Literal keys used in the source: t('a.b'), key: 'a.b', k="a.b", messageKey strings. */
function sourceKeys(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(e.name)) {
        const src = fs.readFileSync(p, 'utf8');
        for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_]+(?:\.[a-zA-Z0-9_]+)+)'/g)) found.set(m[1], p);
        for (const m of src.matchAll(/(?:Error|RuleError)\(\s*'([a-zA-Z0-9_]+(?:\.[a-zA-Z0-9_]+)+)'/g)) found.set(m[1], p);
        for (const m of src.matchAll(/\bkey: '([a-zA-Z0-9_]+(?:\.[a-zA-Z0-9_]+)+)'/g)) found.set(m[1], p);
      }
    }
  };
  walk('src');
  return found;
}

test('every key the code uses literally exists in the catalogs', async () => {
  const { catalogs } = await i18n();
  const known = new Set(flattenKeys(catalogs.fr));
  const missing = [...sourceKeys()].filter(([k]) => !known.has(k) && !known.has(`${k}_one`)).map(([k, f]) => `${k} (${f})`);
  assert.deepEqual(missing, [], `keys used but missing:\n${missing.join('\n')}`);
});

test('Accept-Language negotiation and Intl formatting', () => {
  assert.equal(negotiateLocale('ar;q=0.8, fr;q=0.9'), 'fr');
  assert.equal(negotiateLocale('ar-MA'), 'ar');
  assert.equal(negotiateLocale('xx, en;q=0.1'), 'en');
  assert.equal(negotiateLocale(undefined), 'fr');
  assert.match(formatDate('fr', '2022-11-30'), /30 novembre 2022/);
  assert.match(formatDate('ar', '2022-11-30'), /نونبر|نوفمبر/);
  assert.equal(formatNumber('fr', 376), '376');
});

test('texts with parameters filled without i18next read exactly as i18next renders them, in every locale', async () => {
  const { catalogs, t } = await i18n();
  const reference = i18next.createInstance();
  await reference.init({ resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: catalogs[l] }])), lng: 'fr', fallbackLng: false, interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false } as any);
  let compared = 0, fast = 0;
  for (const l of LOCALES) {
    const expected = reference.getFixedT(l);
    for (const key of flattenKeys(catalogs[l])) {
      const text = key.split('.').reduce<any>((o, k) => o?.[k], catalogs[l]) as string;
      const names = [...text.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)[^}]*\}\}/g)].map((m) => m[1]);
      // Text with markup and a number, a parameter the text does not use, a default (for a text that exists).
      const params = { ...Object.fromEntries(names.map((n, i) => [n, i % 2 ? 1234.5 : `<b>${n}</b> & “${l}”`])), unused: 'x', defaultValue: 'not this' };
      assert.equal(t(l)(key, params), expected(key, params), `${l}: ${key}`);
      if (!names.length) continue;
      if (templateParts(text) && fill(templateParts(text)!, params) !== null) fast++;
      compared++;
    }
  }
  assert.ok(compared > 100 && fast > compared / 2, `${compared} texts compared, ${fast} filled without i18next`);
  // Plurals: every text with plural forms, with counts of every category (and 0, and a fraction).
  let plurals = 0;
  for (const l of LOCALES) {
    const expected = reference.getFixedT(l);
    const bases = new Set(flattenKeys(catalogs[l]).filter((k) => /_(zero|one|two|few|many|other)$/.test(k)).map((k) => k.replace(/_[a-z]+$/, '')));
    for (const key of bases) for (const count of [0, 1, 2, 3, 5, 11, 100, 101, 1.5]) {
      const params = { count, n: 7, unused: 'x' };
      assert.equal(t(l)(key, params), expected(key, params), `${l}: ${key} (${count})`);
      plurals++;
    }
  }
  assert.ok(plurals > 100, `${plurals} plural texts compared`);
  // A missing text shows its default, as through i18next.
  assert.equal(t('fr')('requests.event.no_such_kind', { defaultValue: 'no_such_kind' }), 'no_such_kind');
  assert.notEqual(t('ar')('requests.slaDays', { count: 1 }), t('ar')('requests.slaDays', { count: 3 }).replace('3', '1'));
});

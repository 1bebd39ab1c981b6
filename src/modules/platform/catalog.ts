import type { OpenDataExport } from '../../core/module.ts';
import type { Commune } from '../../core/tenancy/index.ts';
import { LOCALES, tr, type T } from '../../core/i18n/index.ts';

/**
 * DCAT-AP 3 (https://semiceu.github.io/DCAT-AP/releases/3.0.0/) in JSON-LD: a commune's open-data page as a
 * dcat:Catalog whose datasets are the modules' manifest `exports`, each with one dcat:Distribution. The context is
 * inline: a harvester (or the tests' jsonld expansion) needs no network to read it.
 */
export const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  'dct:issued': { '@type': 'xsd:dateTime' },
  'dct:modified': { '@type': 'xsd:dateTime' },
  'dcat:startDate': { '@type': 'xsd:dateTime' },
  'dcat:endDate': { '@type': 'xsd:dateTime' },
  'dcat:accessURL': { '@type': '@id' },
  'dcat:downloadURL': { '@type': '@id' },
  'dcat:mediaType': { '@type': '@id' },
  'dct:format': { '@type': '@id' },
  'dct:license': { '@type': '@id' },
  'dcat:theme': { '@type': '@id' },
  'dct:conformsTo': { '@type': '@id' },
  'dcat:themeTaxonomy': { '@type': '@id' },
  'foaf:homepage': { '@type': '@id' },
  'dct:language': { '@type': '@id' },
} as const;

const EU = 'http://publications.europa.eu/resource/authority';
export const LICENCE = `${EU}/licence/CC_BY_4_0`;
const THEME = `${EU}/data-theme/GOVE`;
const LANG: Record<string, string> = { fr: `${EU}/language/FRA`, ar: `${EU}/language/ARA`, en: `${EU}/language/ENG` };
const FORMAT: Record<OpenDataExport['format'], { media: string; format: string }> = {
  csv: { media: 'https://www.iana.org/assignments/media-types/text/csv', format: `${EU}/file-type/CSV` },
  json: { media: 'https://www.iana.org/assignments/media-types/application/json', format: `${EU}/file-type/JSON` },
};

type Lang = { '@value': string; '@language': string };
const multi = (text: (l: (typeof LOCALES)[number]) => string): Lang[] => LOCALES.map((l) => ({ '@value': text(l), '@language': l })).filter((x) => x['@value']);

export interface CatalogInput {
  commune: Commune;
  /** The commune's public address (`publicOrigin`). */
  origin: string;
  exports: OpenDataExport[];
  translators: Record<(typeof LOCALES)[number], T>;
  /** The commune's creation and its data's last change (its audit chain's head). */
  issued: string;
  modified: string;
  now: string;
}

/** The catalog node of one commune, its datasets inline (no @context: `catalogDocument` or `platformCatalog` adds it). */
export function communeCatalog(i: CatalogInput): Record<string, unknown> {
  const { commune, origin, translators: t } = i;
  const name = (l: (typeof LOCALES)[number]) => tr(commune.name, l);
  const publisher = {
    '@id': `${origin}/#publisher`, '@type': 'foaf:Agent', 'foaf:name': multi(name),
    'dct:type': { '@id': `${EU}/corporate-body-classification/LOCAL_AUTH` },
  };
  const spatial = { '@id': `${origin}/#territory`, '@type': 'dct:Location', 'skos:prefLabel': multi(name) };
  const langs = commune.settings.languages;
  const datasets = i.exports.map((e) => {
    const url = e.path.startsWith('/api/') ? `${origin}${e.path}` : `${origin}/${commune.settings.defaultLocale}${e.path}`;
    const f = FORMAT[e.format];
    return {
      '@id': `${origin}/open-data#${e.key}`,
      '@type': 'dcat:Dataset',
      'dct:identifier': `${commune.slug}:${e.key}`,
      'dct:title': multi((l) => t[l](e.key)),
      'dct:description': multi((l) => t[l]('platform.datasetDescription', { title: t[l](e.key), commune: name(l) })),
      'dct:publisher': { '@id': publisher['@id'] },
      'dct:license': LICENCE,
      'dcat:theme': THEME,
      'dct:spatial': { '@id': spatial['@id'] },
      'dct:temporal': { '@type': 'dct:PeriodOfTime', 'dcat:startDate': i.issued, 'dcat:endDate': i.now },
      'dct:issued': i.issued,
      'dct:modified': i.modified,
      'dct:language': langs.map((l) => LANG[l]),
      'dcat:landingPage': { '@id': `${origin}/${commune.settings.defaultLocale}/open-data` },
      'dcat:distribution': [{
        '@id': `${origin}/open-data#${e.key}-${e.format}`,
        '@type': 'dcat:Distribution',
        'dct:title': multi((l) => `${t[l](e.key)} (${e.format.toUpperCase()})`),
        'dcat:accessURL': url,
        'dcat:downloadURL': url,
        'dcat:mediaType': f.media,
        'dct:format': f.format,
        'dct:license': LICENCE,
        'dct:modified': i.modified,
      }],
    };
  });
  return {
    '@id': `${origin}/open-data/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': multi((l) => t[l]('platform.catalogTitle', { commune: name(l) })),
    'dct:description': multi((l) => t[l]('platform.catalogDescription', { commune: name(l) })),
    'dct:publisher': publisher,
    'dct:spatial': spatial,
    'dct:language': langs.map((l) => LANG[l]),
    'dct:license': LICENCE,
    'dcat:themeTaxonomy': `${EU}/data-theme`,
    'foaf:homepage': `${origin}/${commune.settings.defaultLocale}/`,
    'dct:issued': i.issued,
    'dct:modified': i.modified,
    'dcat:dataset': datasets,
  };
}

export function catalogDocument(node: Record<string, unknown>): Record<string, unknown> {
  return { '@context': DCAT_CONTEXT, 'dct:conformsTo': 'http://data.europa.eu/r5r/', ...node };
}

/** The platform's catalog: every active commune's catalog as a sub-catalog (dcat:catalog), for one national harvest URL. */
export function platformCatalog(p: { origin: string; title: Lang[]; description: Lang[]; modified: string; catalogs: Record<string, unknown>[] }): Record<string, unknown> {
  const publisher = { '@id': `${p.origin}/#operator`, '@type': 'foaf:Agent', 'foaf:name': p.title };
  return {
    '@context': DCAT_CONTEXT,
    '@id': `${p.origin}/api/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:conformsTo': 'http://data.europa.eu/r5r/',
    'dct:title': p.title,
    'dct:description': p.description,
    'dct:publisher': publisher,
    'dct:license': LICENCE,
    'dct:modified': p.modified,
    'dcat:catalog': p.catalogs,
    'dcat:dataset': p.catalogs.flatMap((c) => c['dcat:dataset'] as unknown[]),
  };
}

export { multi };

import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Polygon, MultiPolygon } from 'geojson';
import { RuleError } from '../../core/http/errors.ts';

export interface Point { lat: number; lng: number }

/** Distance in metres between two points (haversine; precise enough for "within 200 m"). */
export function distanceMeters(a: Point, b: Point): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A bounding box around a point, for a first filter in SQL before the exact distance. */
export function boxAround(p: Point, meters: number): { minLat: number; maxLat: number; minLng: number; maxLng: number } {
  const dLat = meters / 111_320;
  const dLng = meters / (111_320 * Math.max(0.01, Math.cos((p.lat * Math.PI) / 180)));
  return { minLat: p.lat - dLat, maxLat: p.lat + dLat, minLng: p.lng - dLng, maxLng: p.lng + dLng };
}

export type AreaGeometry = Polygon | MultiPolygon;

export function parseGeometry(json: string | null): AreaGeometry | null {
  if (!json) return null;
  try {
    const g = JSON.parse(json);
    return g && (g.type === 'Polygon' || g.type === 'MultiPolygon') ? g : null;
  } catch { return null; }
}

/** The first area (in the given order) whose polygon holds the point. */
export function areaOf<T extends { geometry: string | null }>(p: Point, areas: T[]): T | undefined {
  for (const a of areas) {
    const g = parseGeometry(a.geometry);
    if (g && booleanPointInPolygon([p.lng, p.lat], g)) return a;
  }
  return undefined;
}

export interface ImportedArea { slug: string; name: Record<string, string>; population: number | null; geometry: AreaGeometry }

const slugify = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

function validRing(ring: unknown): boolean {
  return Array.isArray(ring) && ring.length >= 4 && ring.every((pt) => Array.isArray(pt) && pt.length >= 2
    && typeof pt[0] === 'number' && typeof pt[1] === 'number' && Math.abs(pt[0]) <= 180 && Math.abs(pt[1]) <= 90);
}

function validGeometry(g: any): g is AreaGeometry {
  if (g?.type === 'Polygon') return Array.isArray(g.coordinates) && g.coordinates.length > 0 && g.coordinates.every(validRing);
  if (g?.type === 'MultiPolygon') return Array.isArray(g.coordinates) && g.coordinates.length > 0 && g.coordinates.every((p: unknown) => Array.isArray(p) && p.length > 0 && p.every(validRing));
  return false;
}

/**
 * Reads a GeoJSON FeatureCollection of districts. Each feature needs a polygon and a name
 * (`name`, `name_fr`, `name_ar`, `name_en` or `nom`); `slug` and `population` are optional.
 */
export function parseDistrictsGeoJson(text: string): ImportedArea[] {
  let doc: any;
  try { doc = JSON.parse(text); } catch { throw new RuleError('requests.geojsonInvalid', {}, 'file'); }
  const features: any[] = doc?.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features : doc?.type === 'Feature' ? [doc] : [];
  if (!features.length) throw new RuleError('requests.geojsonEmpty', {}, 'file');
  return features.map((f, i) => {
    const p = f?.properties ?? {};
    const name: Record<string, string> = {};
    for (const l of ['fr', 'ar', 'en']) if (typeof p[`name_${l}`] === 'string' && p[`name_${l}`].trim()) name[l] = p[`name_${l}`].trim().slice(0, 200);
    const plain = [p.name, p.nom, p.NAME].find((x) => typeof x === 'string' && x.trim());
    if (!name.fr && plain) name.fr = String(plain).trim().slice(0, 200);
    if (!name.fr) name.fr = name.ar ?? name.en ?? '';
    if (!name.fr) throw new RuleError('requests.geojsonNoName', { n: i + 1 }, 'file');
    if (!validGeometry(f.geometry)) throw new RuleError('requests.geojsonNoPolygon', { n: i + 1 }, 'file');
    const slug = (typeof p.slug === 'string' && /^[a-z0-9-]{1,60}$/.test(p.slug) ? p.slug : slugify(name.fr)) || `district-${i + 1}`;
    const pop = Number(p.population);
    return { slug, name, population: Number.isInteger(pop) && pop >= 0 ? pop : null, geometry: { type: f.geometry.type, coordinates: f.geometry.coordinates } };
  });
}

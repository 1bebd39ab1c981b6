import type { Config } from '../../config.ts';
import type { Commune } from '../tenancy/index.ts';

/**
 * Where absolute links to a commune's pages point (discovery URLs, `media_url`, any link an answer
 * carries away from the request that asked): the commune's own first host name, with the scheme and
 * port of BASE_URL, or BASE_URL itself when the commune has no host of its own (BASE_URL/c/{slug}, the path
 * form, for a commune other than the default one). Never the Host or
 * X-Forwarded-Host of the request: those are the client's to choose, and an answer built from them
 * would be kept by the anonymous page cache (which keys on commune, locale and URL only) and handed
 * to every later visitor.
 */
export function publicOrigin(config: Pick<Config, 'baseUrl'> & Partial<Pick<Config, 'defaultCommune'>>, commune?: Pick<Commune, 'hosts'> & Partial<Pick<Commune, 'slug'>> | null): string {
  const host = commune?.hosts[0];
  // A commune without a host of its own, other than the default one, lives under the path form (`/c/{slug}`).
  if (!host) return commune?.slug && config.defaultCommune && commune.slug !== config.defaultCommune ? `${config.baseUrl}/c/${commune.slug}` : config.baseUrl;
  let base: URL;
  try { base = new URL(config.baseUrl); } catch { return config.baseUrl; }
  if (base.hostname === host.toLowerCase()) return base.origin;
  return `${base.protocol}//${host}${base.port ? `:${base.port}` : ''}`;
}

import type { Config } from '../../config.ts';
import type { Commune } from '../tenancy/index.ts';

/**
 * The public address of a commune's pages, for absolute links (feeds, Open311 `media_url`, `hreflang`, mails): its
 * first configured host name with the scheme and port of `BASE_URL`, else `BASE_URL` itself. Never the request's
 * `Host` or `X-Forwarded-Host`: those are the client's to choose, and a cached answer built from them would send
 * every later visitor to the address one request chose.
 */
export function publicOrigin(config: Pick<Config, 'baseUrl'>, commune: Pick<Commune, 'hosts'>): string {
  const host = commune.hosts[0];
  if (!host) return config.baseUrl;
  const base = new URL(config.baseUrl);
  return `${base.protocol}//${host}${base.port ? `:${base.port}` : ''}`;
}

/**
 * A URL as it may be written to the logs. Some URLs carry a secret that works like a password
 * (a password-reset link, a reporter's tracking code, a follower's confirm or unsubscribe link, an
 * Open311 key some clients put in the query string, a code typed in the lookup form): the logs keep
 * the route and drop the secret, so that reading the logs never gives access to an account or a request.
 */
export function redactUrl(url: string): string {
  const i = url.indexOf('?');
  const path = (i < 0 ? url : url.slice(0, i))
    .replace(/(\/password\/reset\/)[^/?#]+/, '$1[redacted]')
    .replace(/(\/requests\/track\/)[^/?#]+/, '$1[redacted]')
    .replace(/(\/requests\/(?:follow|unsubscribe)\/)[^/?#]+/, '$1[redacted]');
  if (i < 0) return path;
  const query = url.slice(i + 1).replace(/(^|&)(api_key|q)=[^&#]*/gi, '$1$2=[redacted]');
  return `${path}?${query}`;
}

// Public to the rest of src: which URLs the subgraph will send secrets to or trust answers from (a JWKS, a
// ThoughtSpot cluster). A leaf, so the configuration and the resolvers share one rule.

/** Whether a URL's host name is the local machine (`localhost`, 127.0.0.0/8 or `[::1]`). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * `raw` as a URL the subgraph may trust, or null: https, or plain http to a loopback host outside production (a
 * development IdP or emulator on the same machine; anything on the path could read or swap plain http), and never
 * credentials or a fragment in it, which would end up in logs. `allowQuery` false also refuses a query string.
 */
export function trustedUrl(raw: string, options: { readonly production: boolean; readonly allowQuery: boolean }): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const plainAllowed = !options.production && isLoopbackHost(url.hostname);
  const scheme = url.protocol === 'https:' || (url.protocol === 'http:' && plainAllowed);
  const clean = url.username === '' && url.password === '' && url.hash === '' && (options.allowQuery || url.search === '');
  return scheme && clean ? url : null;
}

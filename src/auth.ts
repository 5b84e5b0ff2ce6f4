/**
 * The Authorization header of HTTP Basic credentials, UTF-8 encoded as RFC 7617 asks: what the
 * client sends, for a request of one's own (`fetch`, a proxy, a test).
 */
export function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

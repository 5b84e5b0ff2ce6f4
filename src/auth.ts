/** HTTP Basic credentials, UTF-8 encoded as RFC 7617 asks. Internal: not exported from the package root. */
export function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

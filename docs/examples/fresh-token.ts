import { basicAuth } from 'redis-software-auditing-db-conns';

/**
 * A `token` function for the client: it asks POST /v1/users/authorize with the user's name and
 * password (HTTP Basic), and gives the same token until `margin` seconds before its `exp`, when
 * it asks for a new one. Calls made while one is being asked for share it.
 */
export function freshToken(options: {
  baseUrl: string;
  username: string;
  password: string;
  /** How long each token lives, in seconds (the cluster's default is 300; 1 to 86400). */
  ttl?: number;
  /** How many seconds before its expiry a token is replaced. */
  margin?: number;
  fetch?: typeof globalThis.fetch;
}): () => Promise<string> {
  const { baseUrl, username, password, ttl = 300, margin = 30, fetch = globalThis.fetch } = options;
  let token: string | undefined;
  let renewAt = 0;
  let asking: Promise<string> | undefined;

  async function ask(): Promise<string> {
    const response = await fetch(`${baseUrl}/v1/users/authorize`, {
      method: 'POST',
      headers: { authorization: basicAuth(username, password), 'content-type': 'application/json' },
      body: JSON.stringify({ ttl }),
    });
    // The status only: the answer may hold a token, and an error must not.
    if (!response.ok) throw new Error(`POST /v1/users/authorize answered ${response.status}`);
    const { access_token } = (await response.json()) as { access_token: string };
    // The JWT's payload is base64url JSON; its `exp` is in seconds since the epoch.
    const payload = access_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const { exp } = JSON.parse(atob(payload)) as { exp: number };
    token = access_token;
    renewAt = (exp - margin) * 1000;
    return access_token;
  }

  return async () => {
    if (token !== undefined && Date.now() < renewAt) return token;
    asking ??= ask().finally(() => {
      asking = undefined;
    });
    return asking;
  };
}

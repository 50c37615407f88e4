/**
 * The page's calls to the query gateway that serves it. The API key is kept
 * in sessionStorage (gone when the tab closes) and sent as a bearer header,
 * never in a URL, where it would end up in logs and history.
 */
const KEY_ITEM = 'prov.explorer.apiKey';

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Session {
  principal: string;
  roles: string[];
  mayReadSensitive: boolean;
}

export class GatewayClient {
  get apiKey(): string | null {
    return sessionStorage.getItem(KEY_ITEM);
  }

  /** Keeps the key only if the gateway accepts it. */
  async logIn(apiKey: string): Promise<Session> {
    const session = await this.get<Session>('/v1/session', apiKey);
    sessionStorage.setItem(KEY_ITEM, apiKey);
    return session;
  }

  logOut(): void {
    sessionStorage.removeItem(KEY_ITEM);
  }

  async get<T>(path: string, apiKey = this.apiKey): Promise<T> {
    const response = await fetch(path, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
    const body = (await response.json().catch(() => undefined)) as
      { error?: { message?: string; details?: Array<{ path: string; problem: string }> } } | undefined;
    if (!response.ok) {
      const details = body?.error?.details?.map((d) => `${d.path} ${d.problem}`).join('; ');
      throw new GatewayError(
        response.status,
        [body?.error?.message ?? `the gateway answered ${response.status}`, details].filter(Boolean).join(': '),
      );
    }
    return body as T;
  }
}

/** A path segment as the gateway's routes take it (ids hold ':' and '@', which are fine; '/' and '?' are not). */
export const segment = (id: string) => encodeURIComponent(id).replace(/%3A/g, ':').replace(/%40/g, '@');

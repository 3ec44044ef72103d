/** Azure Bot Service's Direct Line; the page talks to it directly when DIRECT_LINE_SECRET is set. */
export const AZURE_DIRECT_LINE = 'https://directline.botframework.com/v3/directline';

export interface AzureToken {
  token: string;
  conversationId: string;
  expires_in: number;
}

export class AzureTokenError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'AzureTokenError';
  }
}

/**
 * Exchanges the Direct Line secret (which never leaves the server) for a token good for one new
 * conversation, with the user id embedded so that the page cannot pose as another user.
 */
export async function generateAzureToken(
  secret: string,
  userId: string,
  options: { fetch?: typeof fetch; domain?: string; timeoutMs?: number } = {},
): Promise<AzureToken> {
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${options.domain ?? AZURE_DIRECT_LINE}/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new AzureTokenError(`Direct Line did not answer: ${(err as Error).name}`);
  }
  if (!res.ok) throw new AzureTokenError(`Direct Line answered ${res.status}`, res.status);
  const body = (await res.json().catch(() => undefined)) as Partial<AzureToken> | undefined;
  if (!body || typeof body.token !== 'string' || typeof body.conversationId !== 'string') {
    throw new AzureTokenError('Direct Line answered without a token');
  }
  return { token: body.token, conversationId: body.conversationId, expires_in: typeof body.expires_in === 'number' ? body.expires_in : 1800 };
}

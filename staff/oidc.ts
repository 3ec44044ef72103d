import type * as OpenIdClient from 'openid-client';
import type { Role } from './accounts';
import { ROLES } from './accounts';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The console's callback as registered at the provider; unset: this server's own address + /staff/oidc/callback. */
  redirectUri?: string;
  /** The claim holding roles or groups (Entra ID: `roles` for app roles, `groups` for groups). */
  roleClaim: string;
  /** Claim value -> console role; several matches: the highest role. */
  roleMap: Record<string, Role>;
  scopes: string;
}

/** What the sign-in needs to remember between the redirect and the callback. */
export interface PendingLogin {
  state: string;
  verifier: string;
  nonce: string;
  redirectUri: string;
  next: string;
}

export interface OidcIdentity {
  /** The account name: preferred_username, else e-mail, else subject; lower case. */
  name: string;
  role?: Role;
}

const OUTBOUND_TIMEOUT_S = 5;

/**
 * Authorization code + PKCE with openid-client v6 (certified). The library is ESM-only and is
 * loaded (require of ESM, Node 20.19+) on the first SSO sign-in only, so nothing else depends on it.
 */
export class OidcLogin {
  private configuration?: Promise<OpenIdClient.Configuration>;

  constructor(
    readonly settings: OidcSettings,
    private readonly load: () => typeof OpenIdClient = () => require('openid-client') as typeof OpenIdClient,
  ) {}

  async start(defaultRedirectUri: string, next: string): Promise<{ url: string; pending: PendingLogin }> {
    const lib = this.load();
    const config = await this.config();
    const verifier = lib.randomPKCECodeVerifier();
    const pending: PendingLogin = {
      state: lib.randomState(), nonce: lib.randomNonce(), verifier, redirectUri: this.settings.redirectUri ?? defaultRedirectUri, next,
    };
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: pending.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await lib.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** Exchanges the code (checking state, nonce and PKCE) and reads who signed in. */
  async finish(callbackUrl: URL, pending: PendingLogin): Promise<OidcIdentity> {
    const lib = this.load();
    const config = await this.config();
    const tokens = await lib.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
    });
    const claims = (tokens.claims() ?? {}) as Record<string, unknown>;
    const name = String(claims.preferred_username ?? claims.email ?? claims.sub ?? '').trim().toLowerCase();
    const role = roleFromClaims(claims[this.settings.roleClaim], this.settings.roleMap);
    return { name, ...(role ? { role } : {}) };
  }

  private config(): Promise<OpenIdClient.Configuration> {
    this.configuration ??= (async () => {
      const lib = this.load();
      const issuer = new URL(this.settings.issuer);
      // Plain http only for a provider on this machine (the tests' own).
      const loopback = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
      return lib.discovery(issuer, this.settings.clientId, undefined, lib.ClientSecretBasic(this.settings.clientSecret), {
        timeout: OUTBOUND_TIMEOUT_S, ...(loopback ? { execute: [lib.allowInsecureRequests] } : {}),
      });
    })();
    this.configuration.catch(() => {
      this.configuration = undefined;
    });
    return this.configuration;
  }
}

/** "IC.Admin=admin, IC.Reviewer=reviewer" -> { 'IC.Admin': 'admin', ... }; throws on an unknown role. */
export function parseRoleMap(text: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = pair.lastIndexOf('=');
    const value = pair.slice(0, i).trim();
    const role = pair.slice(i + 1).trim();
    if (i < 1 || !(ROLES as readonly string[]).includes(role)) throw new TypeError(`bad role mapping "${pair}": use CLAIM_VALUE=${ROLES.join('|')}`);
    map[value] = role as Role;
  }
  return map;
}

/** The highest role any of the claim's values maps to. */
export function roleFromClaims(claim: unknown, map: Record<string, Role>): Role | undefined {
  const values = Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? [claim] : [];
  const roles = values.map((v) => map[v]).filter((r): r is Role => r !== undefined);
  return roles.sort((a, b) => ROLES.indexOf(b) - ROLES.indexOf(a))[0];
}

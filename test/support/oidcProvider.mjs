// A real OpenID provider (oidc-provider) for the staff console's SSO test, started as its own
// process: node test/support/oidcProvider.mjs PORT REDIRECT_URI. Its development login form
// accepts any name; the accounts below carry the claims (roles as Entra ID sends app roles).
import Provider from 'oidc-provider';

const [port, redirectUri] = process.argv.slice(2);
const ACCOUNTS = {
  rita: { email: 'rita@centrs.example', preferred_username: 'rita@centrs.example', name: 'Rita Ozola', roles: ['IC.Reviewer'] },
  anna: { email: 'anna@centrs.example', preferred_username: 'anna@centrs.example', name: 'Anna Kalniņa', roles: ['IC.Admin', 'IC.Viewer'] },
  guest: { email: 'guest@centrs.example', preferred_username: 'guest@centrs.example', name: 'Viesis', roles: [] },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'staff-console',
    client_secret: 'staff-console-secret-0123456789',
    redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'], roles: ['roles'] },
  scopes: ['openid', 'profile', 'email', 'roles'],
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ['test-cookie-key-0123456789'] },
  async findAccount(_ctx, id) {
    const claims = ACCOUNTS[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  async loadExistingGrant(ctx) {
    // First-party client: consent is implied (no consent screen).
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email roles');
    grant.addOIDCClaims(['name', 'preferred_username', 'email', 'roles']);
    await grant.save();
    return grant;
  },
});
provider.listen(Number(port), '127.0.0.1', () => process.stdout.write(`oidc provider listening on ${port}\n`));

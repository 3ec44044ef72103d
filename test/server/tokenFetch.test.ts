import { AppCredentials } from 'botframework-connector';
import { boundTokenFetch } from '../../server/outbound';

/** A credential whose identity provider never answers, as a black-holed login host would. */
class HangingCredentials extends AppCredentials {
  calls = 0;
  constructor() {
    super('app-id', 'tenant');
  }
  protected async refreshToken(): Promise<never> {
    this.calls++;
    return new Promise<never>(() => undefined);
  }
}

describe('the token fetched before a reply', () => {
  test('gives up after the outbound timeout instead of holding the turn', async () => {
    boundTokenFetch(200);
    const credentials = new HangingCredentials();
    await expect(credentials.getToken()).rejects.toThrow(/timed out after 200 ms/);
    expect(credentials.calls).toBe(1);
  });
});

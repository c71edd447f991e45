import { startProduct, type Product } from '../support/product';

/**
 * The CSRF guard's rules beyond what the browser test shows: the Origin fallback for browsers that
 * send no Sec-Fetch-Site, scripts (bearer or no browser headers) untouched, answer pages untouched.
 */
describe('CSRF guard', () => {
  let product: Product;
  beforeAll(async () => {
    product = await startProduct();
  });
  afterAll(() => product.stop());

  const cookieOf = async (username: string) => {
    const res = await fetch(`${product.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'demo' }),
    });
    return (res.headers.get('set-cookie') ?? '').split(';')[0];
  };
  const post = (path: string, headers: Record<string, string>) => fetch(product.url + path, { method: 'POST', headers });
  const codeOf = async (res: Response) => ((await res.json()) as { error?: { code: string } }).error?.code;

  it('refuses a cookie request whose Origin is another port or site, without Sec-Fetch-Site', async () => {
    const cookie = await cookieOf('rita');
    for (const origin of ['http://127.0.0.1:1', 'http://evil.example', 'null']) {
      const res = await post('/api/auth/logout', { cookie, origin });
      expect({ origin, status: res.status, code: await codeOf(res) }).toEqual({ origin, status: 403, code: 'cross_site_request' });
    }
    for (const site of ['same-site', 'cross-site']) expect((await post('/api/auth/logout', { cookie, 'sec-fetch-site': site })).status).toBe(403);
    expect((await fetch(`${product.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
  });

  it("lets the app's own origin, bearer tokens and non-browser clients through", async () => {
    expect((await post('/api/auth/logout', { cookie: await cookieOf('rita'), origin: product.url })).status).toBe(200);
    expect((await post('/api/auth/logout', { cookie: await cookieOf('rita'), 'sec-fetch-site': 'same-origin', origin: product.url })).status).toBe(200);
    expect((await post('/api/auth/logout', { cookie: await cookieOf('rita') })).status).toBe(200);
    const token = await product.login('rita');
    expect((await post('/api/auth/logout', { authorization: `Bearer ${token}`, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(
      200,
    );
  });

  it('leaves the customer answer pages to their signed link: a form post from a mail client is not refused as cross-site', async () => {
    const res = await fetch(`${product.url}/r/not-a-real-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site', origin: 'null', cookie: await cookieOf('rita') },
      body: 'answer=accepted',
    });
    // The answer page itself says the link is not valid (its own business); the guard did not step in.
    expect(res.status).not.toBe(403);
    expect(res.headers.get('content-type')).toContain('text/html');
  });
});

/**
 * A browser at the HTTP level: a cookie jar per origin (paths ignored) and manual redirects, enough
 * to drive the sign-in page, the authorization endpoint, the device page and an upstream identity
 * provider's pages without a real browser.
 */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  constructor(private readonly base: string) {}

  /** One request; stores cookies, never follows redirects. */
  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Response> {
    const target = new URL(url, this.base);
    const headers: Record<string, string> = {};
    let jar = this.jars.get(target.origin);
    if (!jar) this.jars.set(target.origin, (jar = new Map()));
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(target, {
      method,
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /** Follows redirects between the server's OAuth pages; returns the first response that is not one (or leaves them). */
  async follow(url: string): Promise<{ res: Response; url: string }> {
    let current = new URL(url, this.base).toString();
    for (let i = 0; i < 10; i++) {
      const res = await this.request('GET', current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      const next = new URL(location, current);
      // Leaving the server's OAuth pages (another origin, or e.g. the UI's own /auth/callback): stop.
      const ours = /^\/(oauth\/|auth\/realms\/)/.test(next.pathname);
      if (next.origin !== new URL(this.base).origin || !ours) return { res, url: next.toString() };
      current = next.toString();
    }
    throw new Error('too many redirects');
  }

  /**
   * Follows redirects wherever they lead (any origin) until a page that is not a redirect, or until
   * `stop` says the next URL is the destination (returned unvisited, e.g. a client's callback).
   */
  async wander(
    url: string,
    stop: (next: URL) => boolean = () => false,
  ): Promise<{ res?: Response; url: string }> {
    let current = new URL(url, this.base);
    for (let i = 0; i < 20; i++) {
      if (stop(current)) return { url: current.toString() };
      const res = await this.request('GET', current.toString());
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current.toString() };
      current = new URL(location, current);
    }
    throw new Error('too many redirects');
  }

  /** Fills and submits the sign-in page `res` shows; returns the response to the POST. */
  async submitSignIn(html: string, email: string, password: string): Promise<Response> {
    return this.request('POST', '/oauth/sign-in', {
      csrf: field(html, 'csrf'),
      return_to: field(html, 'return_to'),
      email,
      password,
    });
  }

  /**
   * Opens an authorization URL, signs in when asked, and returns where the server finally sends the
   * browser (the client's redirect URI with `code` or `error`).
   */
  async authorize(authorizationUrl: string, email: string, password: string): Promise<URL> {
    let { res, url } = await this.follow(authorizationUrl);
    if (res.status === 200 && url.includes('/oauth/sign-in')) {
      const signed = await this.submitSignIn(await res.text(), email, password);
      if (signed.status !== 303) throw new Error(`sign-in failed: ${signed.status}`);
      ({ res, url } = await this.follow(signed.headers.get('location')!));
    }
    if (res.status !== 303)
      throw new Error(`authorization did not redirect: ${res.status} ${await res.text()}`);
    return new URL(url);
  }

  /** Signs in (if needed) and approves (or denies) a device's user code on the device page. */
  async approveDevice(
    userCode: string,
    email: string,
    password: string,
    action = 'approve',
  ): Promise<Response> {
    const opened = await this.follow(`/oauth/device?user_code=${encodeURIComponent(userCode)}`);
    let res = opened.res;
    if (opened.url.includes('/oauth/sign-in')) {
      const signed = await this.submitSignIn(await res.text(), email, password);
      ({ res } = await this.follow(signed.headers.get('location')!));
    }
    const html = await res.text();
    return this.request('POST', '/oauth/device', { csrf: field(html, 'csrf'), user_code: userCode, action });
  }
}

/** The value of a hidden input in a page. */
export function field(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no field ${name} in page`);
  return match[1]!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

/**
 * A browser at the HTTP level (cookie jar, manual redirects): enough to sign in on the control
 * plane's page, follow an authorization URL to the CLI's loopback redirect, and approve a device.
 */
export class HttpBrowser {
  private readonly jar = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Response> {
    const target = new URL(url, this.base);
    const headers: Record<string, string> = {};
    if (this.jar.size && target.origin === new URL(this.base).origin) {
      headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(target, {
      method,
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.jar.delete(pair.slice(0, eq).trim());
      else this.jar.set(pair.slice(0, eq).trim(), value);
    }
    return res;
  }

  /** Follows same-origin redirects; returns the first other answer and its URL (or the off-origin target). */
  async follow(url: string): Promise<{ res: Response; url: string }> {
    let current = new URL(url, this.base).toString();
    for (let i = 0; i < 10; i++) {
      const res = await this.request('GET', current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      const next = new URL(location, current);
      if (next.origin !== new URL(this.base).origin) return { res, url: next.toString() };
      current = next.toString();
    }
    throw new Error('too many redirects');
  }

  private async signInIfAsked(opened: { res: Response; url: string }, email: string, password: string) {
    if (!opened.url.includes('/oauth/sign-in')) return opened;
    const html = await opened.res.text();
    const signed = await this.request('POST', '/oauth/sign-in', {
      csrf: field(html, 'csrf'),
      return_to: field(html, 'return_to'),
      email,
      password,
    });
    if (signed.status !== 303) throw new Error(`sign-in failed: ${signed.status}`);
    return this.follow(signed.headers.get('location') ?? '/');
  }

  /** Opens an authorization URL, signs in, and returns the redirect target (the CLI's loopback URL). */
  async authorize(authorizationUrl: string, email: string, password: string): Promise<URL> {
    const { res, url } = await this.signInIfAsked(await this.follow(authorizationUrl), email, password);
    if (res.status !== 303)
      throw new Error(`authorization did not redirect: ${res.status} ${await res.text()}`);
    return new URL(url);
  }

  /** Signs in and approves a device's user code on the device page. */
  async approveDevice(userCode: string, email: string, password: string): Promise<Response> {
    const { res } = await this.signInIfAsked(
      await this.follow(`/oauth/device?user_code=${encodeURIComponent(userCode)}`),
      email,
      password,
    );
    const html = await res.text();
    return this.request('POST', '/oauth/device', {
      csrf: field(html, 'csrf'),
      user_code: userCode,
      action: 'approve',
    });
  }
}

/** The value of a hidden input in a page. */
export function field(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match?.[1]) throw new Error(`no field ${name} in page`);
  return match[1].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

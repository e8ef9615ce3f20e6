import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, it } from 'node:test';
import { openDirect } from '../helpers/direct-store.js';
import { forEachStore } from '../helpers/each-store.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../helpers/server-process.js';

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: Record<string, unknown>;
}

/** POSTs from a chosen loopback source address (the whole 127/8 is loopback on Linux). */
function post(base: string, path: string, from: string, body: string, type: string): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': type },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'],
            body: JSON.parse(text || '{}'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const v1Password = (base: string, from: string, password: string) =>
  post(
    base,
    '/api/v1/token',
    from,
    JSON.stringify({ grantType: 'password', username: ADMIN_EMAIL, password }),
    'application/json',
  );

forEachStore('brute-force throttling', (kind) => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess(kind);
  });
  after(async () => server?.dispose());

  it('20 wrong passwords lock the (account, address) pair with growing delays; another address still signs in', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 20; i++) answers.push(await v1Password(server.url, '127.0.0.1', `wrong-${i}`));
    // Threshold 5: the first five are checked (401), then every attempt is refused with a longer delay.
    assert.deepEqual(
      answers.slice(0, 5).map((a) => a.status),
      [401, 401, 401, 401, 401],
    );
    const limited = answers.slice(5);
    assert.ok(limited.every((a) => a.status === 429));
    assert.ok(limited.every((a) => a.body.code === 429 && typeof a.body.message === 'string'));
    const delays = limited.map((a) => Number(a.retryAfter));
    for (let i = 1; i < delays.length; i++)
      assert.ok(delays[i]! >= delays[i - 1]!, `delays grow: ${delays.join(',')}`);
    assert.ok(delays.at(-1)! > delays[0]! * 100, `delays grow: ${delays.join(',')}`);

    // Locked pair: even the right password is refused from this address, on v1, v2 and the sign-in page.
    assert.equal((await v1Password(server.url, '127.0.0.1', ADMIN_PASSWORD)).status, 429);
    const v2 = await post(
      server.url,
      '/api/v2/token',
      '127.0.0.1',
      new URLSearchParams({
        grant_type: 'password',
        client_id: 'runai',
        username: ADMIN_EMAIL,
        password: ADMIN_PASSWORD,
      }).toString(),
      'application/x-www-form-urlencoded',
    );
    assert.equal(v2.status, 429);
    assert.equal(v2.body.error, 'temporarily_unavailable');
    assert.ok(Number(v2.retryAfter) > 0);

    // The attacker's address does not lock the account out elsewhere.
    const elsewhere = await v1Password(server.url, '127.0.0.2', ADMIN_PASSWORD);
    assert.equal(elsewhere.status, 200);
    assert.ok(elsewhere.body.accessToken);

    const store = openDirect(server.db);
    try {
      const throttled = await store.db
        .selectFrom('audit_events')
        .select('source_ip')
        .where('action', '=', 'auth.throttled')
        .execute();
      assert.ok(throttled.length >= 15);
      assert.ok(throttled.every((e) => e.source_ip === '127.0.0.1'));
      const failures = await store.db
        .selectFrom('audit_events')
        .select('reason')
        .where('action', '=', 'token.grant')
        .where('result', '=', 'failure')
        .execute();
      assert.ok(failures.filter((e) => e.reason === 'wrong_password').length >= 5);
    } finally {
      await store.close();
    }
  });

  it('concurrent guesses do not slip past the threshold while passwords are being hashed', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(
          server.url,
          '/api/v1/token',
          '127.0.0.4',
          JSON.stringify({ grantType: 'password', username: 'someone@example.com', password: `p${i}` }),
          'application/json',
        ),
      ),
    );
    const checked = answers.filter((a) => a.status === 401).length;
    assert.equal(checked + answers.filter((a) => a.status === 429).length, 20);
    // Threshold 5: four guesses below it, then exactly one wins the right to be checked and locks the pair.
    assert.ok(checked <= 5, `at most 5 guesses may be checked, got ${checked}`);
  });

  it('application secrets are throttled the same way', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 8; i++) {
      answers.push(
        await post(
          server.url,
          '/api/v1/token',
          '127.0.0.3',
          JSON.stringify({ grantType: 'app_token', AppId: 'no-such-app', AppSecret: `guess-${i}` }),
          'application/json',
        ),
      );
    }
    assert.deepEqual(
      answers.map((a) => a.status),
      [401, 401, 401, 401, 401, 429, 429, 429],
    );
    assert.ok(answers[5]!.retryAfter);
  });

  it('OAuth client secrets on /api/v2/token are throttled the same way', async () => {
    const attempt = (secret: string) =>
      post(
        server.url,
        '/api/v2/token',
        '127.0.0.4',
        `grant_type=client_credentials&client_id=no-such-client&client_secret=${secret}`,
        'application/x-www-form-urlencoded',
      );
    const answers: Answer[] = [];
    for (let i = 0; i < 7; i++) answers.push(await attempt(`guess-${i}`));
    assert.deepEqual(
      answers.map((a) => a.status),
      [401, 401, 401, 401, 401, 429, 429],
    );
    assert.equal(answers[0]!.body.error, 'invalid_client');
    assert.equal(answers[5]!.body.error, 'temporarily_unavailable');
    assert.ok(Number(answers[5]!.retryAfter) > 0);
  });
});

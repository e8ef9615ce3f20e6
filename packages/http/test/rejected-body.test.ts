import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { drainRejectedBodies } from '../src/rejected-body.js';

const LIMIT = 64 * 1024;
const MAX_BYTES = 4 * 1024 * 1024;

/** A raw HTTP/1.1 connection: the test decides when each byte goes out. */
class Wire {
  readonly socket: Socket;
  private received = '';
  closed = false;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => (this.received += chunk));
    this.socket.on('error', () => undefined); // a dropped socket is what some tests expect
    this.socket.on('close', () => (this.closed = true));
  }

  /** Waits until `count` responses have fully arrived; returns their head and body. */
  async responses(count: number): Promise<{ head: string; body: string }[]> {
    for (;;) {
      const parsed = parse(this.received);
      if (parsed.length >= count) return parsed.slice(0, count);
      if (this.closed) throw new Error(`connection closed after ${parsed.length} of ${count} responses`);
      await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('data', done).off('close', done);
          resolve();
        };
        this.socket.once('data', done).once('close', done);
      });
    }
  }

  /** Resolves when the socket can take more, or is gone. */
  drainedOrClosed(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done).off('close', done);
        resolve();
      };
      this.socket.once('drain', done).once('close', done);
    });
  }

  /** Resolves once the server has dropped or closed the connection. */
  async dropped(): Promise<void> {
    if (!this.closed) await once(this.socket, 'close');
  }
}

function parse(text: string): { head: string; body: string }[] {
  const out: { head: string; body: string }[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return out;
    const head = rest.slice(0, end);
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + length) return out;
    out.push({ head, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
}

const head = (headers: string) =>
  `POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n${headers}\r\n`;
const small = `${head('Content-Length: 2\r\n')}{}`;

/** A server with the hook; a loaded CI machine must not hit `maxMs` but where a test means to. */
async function serve(maxMs: number): Promise<{ app: FastifyInstance; port: number }> {
  const app = Fastify({ bodyLimit: LIMIT });
  drainRejectedBodies(app, { maxBytes: MAX_BYTES, maxMs });
  app.post('/echo', async (request) => ({ got: request.body }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as { port: number }).port };
}

describe('drainRejectedBodies', () => {
  let patient: { app: FastifyInstance; port: number };
  let impatient: { app: FastifyInstance; port: number };
  let port: number;

  before(async () => {
    patient = await serve(60_000);
    impatient = await serve(300);
    port = patient.port;
  });
  after(async () => {
    await patient?.app.close();
    await impatient?.app.close();
  });

  it('answers 413 while the body is still coming, reads the rest, and keeps the connection', async () => {
    const wire = new Wire(port);
    const size = 2 * 1024 * 1024;
    wire.socket.write(head(`Content-Length: ${size}\r\n`));
    const [rejected] = await wire.responses(1);
    assert.match(rejected!.head, /^HTTP\/1\.1 413 /);
    assert.doesNotMatch(rejected!.head, /connection: close/i);
    // The body goes out after the answer, as a slow client's would; then a second request.
    wire.socket.write('x'.repeat(size));
    wire.socket.write(small);
    const [, next] = await wire.responses(2);
    assert.match(next!.head, /^HTTP\/1\.1 200 /);
    assert.deepEqual(JSON.parse(next!.body), { got: {} });
    wire.socket.destroy();
  });

  it('does the same for a chunked body that runs past the limit', async () => {
    const wire = new Wire(port);
    wire.socket.write(head('Transfer-Encoding: chunked\r\n'));
    const chunk = 'y'.repeat(32 * 1024);
    for (let i = 0; i < 4; i++) wire.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const [rejected] = await wire.responses(1);
    assert.match(rejected!.head, /^HTTP\/1\.1 413 /);
    wire.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`);
    wire.socket.write(small);
    const [, next] = await wire.responses(2);
    assert.match(next!.head, /^HTTP\/1\.1 200 /);
    wire.socket.destroy();
  });

  it('closes at once on a body declared larger than it will read', { timeout: 10_000 }, async () => {
    const wire = new Wire(port);
    wire.socket.write(head(`Content-Length: ${MAX_BYTES + 1}\r\n`));
    const [rejected] = await wire.responses(1);
    assert.match(rejected!.head, /^HTTP\/1\.1 413 /);
    assert.match(rejected!.head, /connection: close/i);
    await wire.dropped();
  });

  it('drops a connection whose body goes past what it will read', { timeout: 10_000 }, async () => {
    const wire = new Wire(port);
    wire.socket.write(head('Transfer-Encoding: chunked\r\n'));
    const chunk = 'z'.repeat(256 * 1024);
    let sent = 0;
    // Far more than it reads, and it would wait a minute for it: only the byte bound stops it.
    while (!wire.closed && sent < 4 * MAX_BYTES) {
      sent += chunk.length;
      if (!wire.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)) await wire.drainedOrClosed();
    }
    assert.ok(wire.closed, `the server read all ${sent} bytes`);
  });

  it('drops a connection whose body stops arriving', { timeout: 10_000 }, async () => {
    const wire = new Wire(impatient.port);
    wire.socket.write(head(`Content-Length: ${LIMIT * 2}\r\n`));
    const [rejected] = await wire.responses(1);
    assert.match(rejected!.head, /^HTTP\/1\.1 413 /);
    await wire.dropped();
  });

  it('leaves other errors alone', async () => {
    const wire = new Wire(port);
    wire.socket.write(small);
    wire.socket.write(`${head('Content-Length: 3\r\n')}{x}`);
    const [good, bad] = await wire.responses(2);
    assert.match(good!.head, /^HTTP\/1\.1 200 /);
    assert.match(bad!.head, /^HTTP\/1\.1 400 /);
    assert.match(bad!.head, /connection: close/i, "Fastify's own choice: the body was read, nothing is lost");
    await wire.dropped();
  });
});

import { connect, type Socket } from 'node:net';
import type { RequestShape } from './load.js';

/** Latency of requests sent at a steady rate. Milliseconds. */
export interface PacedMeasurement {
  rate: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

interface Conn {
  socket: Socket;
  buffer: Buffer;
  /** When the request now on this socket was due (latency counts from then). */
  dueAt: number;
  busy: boolean;
}

/**
 * Sends requests at a steady `rate`, evenly spaced and open loop (a request that finds every socket
 * busy waits in a queue and its latency counts from when it was due), over `connections` keep-alive
 * sockets, for `durationSec`. autocannon's own rate limit sends each second's quota in a burst and
 * then corrects for coordinated omission as if every request were late, so latency "at half the
 * maximum rate" is measured with this small raw-socket client instead (HTTP/1.1, Content-Length
 * responses only: anything else counts as an error).
 *
 * @example
 * ```ts
 * const m = await measurePaced('http://127.0.0.1:8080', { method: 'GET', path: '/healthz' }, { rate: 500, durationSec: 5, connections: 16 })
 * ```
 */
export async function measurePaced(
  url: string,
  shape: RequestShape,
  options: { rate: number; durationSec: number; connections: number; expectStatus?: number },
): Promise<PacedMeasurement> {
  const target = new URL(url);
  const expect = options.expectStatus ?? 200;
  const latencies: number[] = [];
  let errors = 0;
  const queue: number[] = [];
  const head = (body: string | undefined) =>
    `${shape.method} ${shape.path} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: keep-alive\r\n` +
    Object.entries(shape.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    (body !== undefined ? `content-length: ${Buffer.byteLength(body)}\r\n` : '') +
    '\r\n' +
    (body ?? '');

  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const socket = connect(Number(target.port), target.hostname, () => resolve(socket));
      socket.setNoDelay(true);
      socket.once('error', reject);
    });
  const conns: Conn[] = (await Promise.all(Array.from({ length: options.connections }, open))).map(
    (socket) => ({ socket, buffer: Buffer.alloc(0), dueAt: 0, busy: false }),
  );
  let finished = false;
  // Idle sockets, the longest idle first: a due request takes the head, so every socket carries its
  // share. Taking the first idle one in list order left the list's tail idle for seconds at half
  // rate; node:http closes a keep-alive socket after 5 s idle, and a request written to one just as
  // its close crossed was lost (25 of 78,000 to the node:crypto limit in one run).
  const idle: Conn[] = [...conns];
  const dispatch = (conn: Conn) => {
    const due = queue.shift();
    if (due === undefined) {
      conn.busy = false;
      idle.push(conn);
      return;
    }
    conn.busy = true;
    conn.dueAt = due;
    conn.socket.write(head(shape.next ? shape.next() : shape.body));
  };
  const listen = (conn: Conn) => {
    const socket = conn.socket;
    socket.on('error', () => (errors += 1));
    // A server closes keep-alive sockets that were idle for a while (node:http after 5 s), and at a
    // low rate the last sockets of the list may sit idle that long: open another one in its place.
    // A request that was on it is lost, and counted as an error.
    socket.on('close', () => {
      if (finished || conn.socket !== socket) return;
      const at = idle.indexOf(conn);
      if (conn.busy) errors += 1;
      else if (at >= 0) idle.splice(at, 1);
      conn.busy = true;
      conn.buffer = Buffer.alloc(0);
      open().then(
        (next) => {
          conn.socket = next;
          listen(conn);
          if (finished) next.destroy();
          else dispatch(conn);
        },
        () => (errors += 1),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk;
      const headerEnd = conn.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const headers = conn.buffer.subarray(0, headerEnd).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headers)?.[1] ?? NaN);
      if (Number.isNaN(length)) {
        errors += 1;
        conn.buffer = Buffer.alloc(0);
        return dispatch(conn);
      }
      if (conn.buffer.length < headerEnd + 4 + length) return;
      latencies.push(performance.now() - conn.dueAt);
      if (Number(headers.slice(9, 12)) !== expect) errors += 1;
      conn.buffer = conn.buffer.subarray(headerEnd + 4 + length);
      dispatch(conn);
    });
  };
  conns.forEach(listen);

  const start = performance.now();
  const end = start + options.durationSec * 1000;
  const total = Math.round(options.durationSec * options.rate);
  let scheduled = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      // The count at the end is exact: (end - start) in floating point may fall a hair short of it.
      const due = now >= end ? total : Math.min(total, Math.floor(((now - start) / 1000) * options.rate));
      while (scheduled < due) {
        scheduled += 1;
        queue.push(start + (scheduled * 1000) / options.rate);
      }
      while (queue.length && idle.length) dispatch(idle.shift() as Conn);
      if (now >= end && queue.length === 0 && conns.every((c) => !c.busy)) {
        clearInterval(tick);
        resolve();
      }
      // Bounded: stop waiting for stragglers 10 s after the end.
      if (now >= end + 10_000) {
        errors += queue.length + conns.filter((c) => c.busy).length;
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  const wall = (performance.now() - start) / 1000;
  finished = true;
  for (const conn of conns) conn.socket.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => quantile(latencies, q);
  return {
    rate: options.rate,
    rps: latencies.length / wall,
    p50: at(0.5),
    p99: at(0.99),
    requests: latencies.length,
    errors,
  };
}

/**
 * The `q` quantile (0–1) of ascending `sorted` values, as the latency figures here take it: the value
 * at index ⌊q·n⌋ (the last for q = 1); 0 when there are none.
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.99) // 4
 * ```
 */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

import { sign, type KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { threadPoolHeld } from '../crypto/thread-pool.js';

/** How node:crypto is asked to sign: the hash (null for Ed25519) and, for ECDSA, JWS's raw r‖s. */
export interface SignOptions {
  hash: string | null;
  dsaEncoding?: 'ieee-p1363';
}

/** Consecutive workers that ended before answering a batch, after which the thread pool signs for good. */
const MAX_FAILED_STARTS = 3;

// The worker's whole program, CommonJS so that it runs the same from src/ (tsx) and dist/. Keys
// arrive once each (a KeyObject is cloned across threads); a batch is answered in one message, in
// order, with { error } where node:crypto refused (that signature's caller gets the error).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sign } = require('node:crypto');
const keys = new Map();
parentPort.on('message', (message) => {
  if (message.key) return void keys.set(message.key.id, message.key.keyObject);
  if (message.forget !== undefined) return void keys.delete(message.forget);
  const signatures = message.jobs.map(([id, hash, dsaEncoding, input]) => {
    try {
      return sign(hash, Buffer.from(input, 'latin1'), { key: keys.get(id), dsaEncoding }).toString('base64url');
    } catch (err) {
      return { error: String(err && err.message) };
    }
  });
  parentPort.postMessage(signatures);
});
`;

interface Job {
  keyObject: KeyObject;
  options: SignOptions;
  input: string;
  resolve: (signature: string) => void;
  reject: (err: Error) => void;
}

/** A running worker: the ids of the keys it has been sent, and its unanswered batches, oldest first. */
interface SignWorker {
  thread: Worker;
  keys: Set<number>;
  sent: Job[][];
}

let worker: SignWorker | undefined;
let failedStarts = 0;
/** Jobs of the current turn of the event loop, sent together at its end. */
let batch: Job[] = [];
const keyIds = new WeakMap<KeyObject, number>();
let nextKeyId = 0;
// A key the process no longer holds is dropped by the worker too (rotation retires keys).
const forgetKey = new FinalizationRegistry<number>((id) => {
  worker?.keys.delete(id);
  worker?.thread.postMessage({ forget: id });
});

/**
 * Signs `input` (a JWS signing input, `header.payload` in base64url) on a worker thread and
 * resolves to the base64url signature.
 *
 * Why a worker and not libuv's thread pool: node:crypto hands each asynchronous signature to the
 * pool as its own job, so every token woke a pool thread and was woken back, and on the 2-vCPU
 * virtual machines we measure on each such wake-up is a system call and an interrupt that cost the
 * event loop 45–70 µs a signature under load (profiles in bench/README.md), as much as signing
 * in place. Here the signatures asked for in one turn of the event loop go to the worker as one
 * message and come back as one. If the worker ends before answering, its unanswered signatures are
 * made on the thread pool instead and the next batch starts a new worker; after
 * {@link MAX_FAILED_STARTS} workers in a row ended without answering, the thread pool signs for the
 * rest of the process.
 *
 * @example
 * ```ts
 * const signature = await signOffEventLoop(keyObject, { hash: 'sha256', dsaEncoding: 'ieee-p1363' }, input)
 * ```
 */
export function signOffEventLoop(keyObject: KeyObject, options: SignOptions, input: string): Promise<string> {
  if (failedStarts >= MAX_FAILED_STARTS) return signOnThreadPool(keyObject, options, input);
  return new Promise<string>((resolve, reject) => {
    // setImmediate: after the poll phase, so that every request read in this turn joins the batch.
    if (batch.length === 0) setImmediate(sendBatch);
    batch.push({ keyObject, options, input, resolve, reject });
  });
}

/**
 * Ends the signing worker, if one runs; the signatures it had not answered are made on the thread
 * pool, and the next signature starts a new worker. An idle worker does not keep the process
 * alive; this is for a shutdown that leaves no thread behind.
 *
 * @example
 * ```ts
 * await stopSignWorker()
 * ```
 */
export async function stopSignWorker(): Promise<void> {
  const current = worker;
  if (!current) return;
  worker = undefined;
  // An idle worker is unreferenced, and then nothing would keep the process up until it has ended.
  current.thread.ref();
  await current.thread.terminate();
  rescue(current.sent.splice(0).flat());
}

function sendBatch(): void {
  const jobs = batch;
  batch = [];
  if (failedStarts >= MAX_FAILED_STARTS) return rescue(jobs);
  const target = (worker ??= startWorker());
  const messages = jobs.map(({ keyObject, options, input }) => [
    keyIdIn(target, keyObject),
    options.hash,
    options.dsaEncoding,
    input,
  ]);
  // Signatures in flight keep the process alive, as thread-pool jobs do; an idle worker does not.
  if (target.sent.push(jobs) === 1) target.thread.ref();
  target.thread.postMessage({ jobs: messages });
}

function keyIdIn(target: SignWorker, keyObject: KeyObject): number {
  let id = keyIds.get(keyObject);
  if (id === undefined) {
    id = ++nextKeyId;
    keyIds.set(keyObject, id);
    forgetKey.register(keyObject, id);
  }
  // Each worker learns each key once; a new worker (after a failure) learns them again.
  if (!target.keys.has(id)) {
    target.keys.add(id);
    target.thread.postMessage({ key: { id, keyObject } });
  }
  return id;
}

function startWorker(): SignWorker {
  const started: SignWorker = {
    thread: new Worker(WORKER_SOURCE, { eval: true }),
    keys: new Set(),
    sent: [],
  };
  started.thread.on('message', (signatures: (string | { error: string })[]) => {
    failedStarts = 0;
    const jobs = started.sent.shift() ?? [];
    // A worker being stopped stays referenced until it has ended (stopSignWorker waits for that).
    if (started.sent.length === 0 && worker === started) started.thread.unref();
    jobs.forEach((job, i) => {
      const signature = signatures[i];
      if (typeof signature === 'string') job.resolve(signature);
      else job.reject(new Error(signature?.error ?? 'the signing worker gave no signature'));
    });
  });
  // 'error' (the worker's program failed) is followed by 'exit', which rescues its signatures.
  started.thread.on('error', () => {});
  started.thread.once('exit', () => {
    if (worker !== started) return;
    worker = undefined;
    failedStarts++;
    rescue(started.sent.splice(0).flat());
  });
  // After the listeners: adding a 'message' listener refs the worker again.
  started.thread.unref();
  return started;
}

function rescue(jobs: Job[]): void {
  for (const job of jobs)
    signOnThreadPool(job.keyObject, job.options, job.input).then(job.resolve, job.reject);
}

/**
 * Signs `input` on the event loop, at once: for a process with one CPU, and while argon2id hashes
 * hold the thread pool.
 *
 * @example
 * ```ts
 * const signature = signInPlace(keyObject, { hash: 'sha256', dsaEncoding: 'ieee-p1363' }, input)
 * ```
 */
export function signInPlace(keyObject: KeyObject, options: SignOptions, input: string): string {
  return sign(options.hash, Buffer.from(input, 'latin1'), {
    key: keyObject,
    dsaEncoding: options.dsaEncoding,
  }).toString('base64url');
}

function signOnThreadPool(keyObject: KeyObject, options: SignOptions, input: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    // Not behind argon2id hashes holding the pool (crypto/thread-pool.ts): in place meanwhile.
    if (threadPoolHeld()) return resolve(signInPlace(keyObject, options, input));
    const data = Buffer.from(input, 'latin1');
    const signOptions = { key: keyObject, dsaEncoding: options.dsaEncoding };
    sign(options.hash, data, signOptions, (error, signature) =>
      error ? reject(error) : resolve(signature.toString('base64url')),
    );
  });
}

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/**
 * How often the checkpointer copies committed WAL frames back into the database file. Often, so that
 * little is left for the main connection when it resets the WAL (below); an idle checkpoint costs
 * microseconds.
 */
const CHECKPOINT_EVERY_MS = 50;

/**
 * WAL pages after which the main connection checkpoints by itself (SQLite's default is 1,000). It
 * still must: under steady writes a passive checkpoint never catches up with the last commit, and
 * only a checkpoint that has copied everything lets the next commit start the WAL file over, so
 * without it the file grows without bound (94 MB in 8 s in a test). By then the worker has copied
 * all but the last ~50 ms of pages, but this checkpoint still syncs the database file on the event
 * loop: 12–18 ms with 100,000 applications, every ~0.5 s under load. 20,000 pages made that ten times
 * rarer and the p99 at half rate 4× lower, but cost throughput not yet explained, so it was not kept
 * (bench/README.md, tenth session). SQLite's default applies again once the worker has exited.
 */
const FALLBACK_AUTOCHECKPOINT_PAGES = 2_000;
const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;

// The worker's whole program, CommonJS so that it runs the same from src/ (tsx) and dist/: its own
// connection to the file and a passive checkpoint on a timer. PASSIVE never waits for, nor blocks,
// the main connection's readers and writer: it copies what no reader still needs.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.betterSqlite3);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ checkpointed: result.checkpointed, log: result.log });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** The checkpointer of one SQLite file. */
export interface Checkpointer {
  /** WAL frames the last checkpoint found and copied (0 before the first one), or why it failed. */
  readonly last: { log: number; checkpointed: number; error?: string };
  /** Stops the worker and closes its connection; resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the connection that commits past
 * 1,000 WAL pages copies them into the database file and syncs it, inside that commit: on the token
 * endpoint that stalled every request for milliseconds, set the p99 latency, and with 100,000
 * applications (last-login rows on many pages) cost ~12 % of the throughput (bench/README.md). A
 * worker thread with its own connection checkpoints every 50 ms instead, so the main connection's
 * own checkpoint (past 2,000 pages, to restart the WAL file) finds almost nothing left to copy.
 * Measured on 4,000 random-page updates a second: the longest commit 4.7 ms instead of 12.8 ms.
 *
 * @example
 * ```ts
 * const checkpointer = startCheckpointer(database, '/var/lib/tessera/tessera.db')
 * await checkpointer.stop()
 * ```
 */
export function startCheckpointer(database: SQLite.Database, file: string): Checkpointer {
  const last: { log: number; checkpointed: number; error?: string } = { log: 0, checkpointed: 0 };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      everyMs: CHECKPOINT_EVERY_MS,
      betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
  });
  worker.unref();
  database.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  worker.on('message', (message: { log?: number; checkpointed?: number; error?: string }) => {
    if (message.error !== undefined) last.error = message.error;
    else {
      last.log = message.log ?? 0;
      last.checkpointed = message.checkpointed ?? 0;
      delete last.error;
    }
  });
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      if (database.open) database.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
      resolve();
    });
  });
  // An error the worker could not handle ends it (the 'exit' above): the main connection then
  // checkpoints by itself, so nothing is lost but the latency this saves.
  worker.on('error', (err) => (last.error = err.message));
  let stopping: Promise<void> | undefined;
  return {
    last,
    stop: () =>
      (stopping ??= (async () => {
        worker.postMessage('stop');
        const timeout = setTimeout(() => void worker.terminate(), 2_000);
        await exited;
        clearTimeout(timeout);
      })()),
  };
}

// The server's entry point: `node packages/server/dist/launch.cjs`.
//
// CommonJS on purpose. libuv sizes its thread pool from UV_THREADPOOL_SIZE once, when the pool runs
// its first job, and Node's ES module loader runs jobs there while it reads the entry module: an
// ES module (main.ts) is too late to set it. This file runs first, sizes the pool to the CPUs the
// process may use unless UV_THREADPOOL_SIZE is set (crypto/cpu-budget.ts says why), then loads the
// server. `require` of an ES module without top-level await is synchronous on Node 20.19 and later,
// so it starts no pool job.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the point of this file, above
import budget = require('./crypto/cpu-budget.js');

process.env.UV_THREADPOOL_SIZE ??= String(budget.threadPoolSize(budget.cpuBudget()));
void import('./main.js');

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The programs the end-to-end tests start as real processes. */
export type Program = 'server' | 'cluster' | 'cli';

const PACKAGES = fileURLToPath(new URL('../../../', import.meta.url));

/** Programs already checked by this test process: the sources do not change under a running test. */
const checked = new Map<Program, string>();

/**
 * The built entry point of one of Tessera's programs, `packages/<program>/dist/main.js`
 * (`dist/launch.cjs` for the server, which sizes libuv's thread pool before loading `main.js`), for
 * the end-to-end tests to start as `node FILE`, as a deployment does. Started from the TypeScript
 * sources through tsx, a control plane took ~5 s of CPU to be ready, against ~2.5 s built, and the
 * suite starts about a hundred processes (DEVELOPERS.md). `scripts/run-tests.mjs`, and so `npm
 * test`, builds first. Throws, saying what to run, when the build is missing or older than a source
 * file of the program or of a package it references, so that no test runs yesterday's code.
 *
 * @example
 * ```ts
 * const child = spawn(process.execPath, [builtMain('server')], { env })
 * ```
 */
export function builtMain(program: Program): string {
  const known = checked.get(program);
  if (known) return known;
  const main = join(PACKAGES, program, 'dist', program === 'server' ? 'launch.cjs' : 'main.js');
  const stale = withReferences(program).find((pkg) => {
    const built = statSync(join(PACKAGES, pkg, 'tsconfig.tsbuildinfo'), { throwIfNoEntry: false });
    return !built || newestSource(join(PACKAGES, pkg, 'src')) > built.mtimeMs;
  });
  if (stale !== undefined || !statSync(main, { throwIfNoEntry: false }))
    throw new Error(
      `packages/${stale ?? program} is not built or is older than its sources: run ` +
        `\`npx tsc -b packages/${program}\` (scripts/run-tests.mjs and npm test build before testing)`,
    );
  checked.set(program, main);
  return main;
}

/** The package and, transitively, the packages its tsconfig references: what `tsc -b` builds. */
function withReferences(pkg: string): string[] {
  const config = JSON.parse(readFileSync(join(PACKAGES, pkg, 'tsconfig.json'), 'utf8')) as {
    references?: Array<{ path: string }>;
  };
  const referenced = (config.references ?? []).map((r) => r.path.replace('../', ''));
  return [pkg, ...referenced.flatMap(withReferences)];
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

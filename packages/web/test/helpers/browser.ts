import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const WEB = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOTS = join(WEB, 'test/screenshots');
export const CHROMIUM = '/usr/bin/chromium';

function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    latest = Math.max(latest, st.isDirectory() ? newest(path) : st.mtimeMs);
  }
  return latest;
}

/**
 * Makes sure `packages/web/dist` is a build of the current sources (`npm ci` builds it; a test run
 * after editing the UI rebuilds it here rather than testing a stale bundle). Test files run in
 * parallel, so one process builds under a lock directory while the others wait for it.
 */
export function ensureWebBuilt(): void {
  const index = join(WEB, 'dist/index.html');
  const lock = join(WEB, '.build-lock');
  const fresh = () => {
    const sources = Math.max(newest(join(WEB, 'src')), statSync(join(WEB, 'index.html')).mtimeMs);
    return existsSync(index) && statSync(index).mtimeMs >= sources;
  };
  const deadline = Date.now() + 180_000;
  while (!fresh()) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} held for 3 minutes; remove it if no build runs`);
      execFileSync('sleep', ['0.5']);
      continue;
    }
    try {
      if (!fresh()) {
        execFileSync(process.execPath, [join(WEB, '../../node_modules/vite/bin/vite.js'), 'build'], {
          cwd: WEB,
          stdio: 'inherit',
        });
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Debian's Chromium under playwright-core, with its own fresh profile; never a downloaded browser. */
export interface Browser {
  context: BrowserContext;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Launches `/usr/bin/chromium` headless with the flags DEVELOPERS.md lists and a fresh profile.
 *
 * @example
 * ```ts
 * const browser = await launchBrowser()
 * const page = await browser.newPage()
 * ```
 */
export async function launchBrowser(origin?: string): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
  if (origin) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  return {
    context,
    newPage: async (viewport) => {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as `packages/web/test/screenshots/<name>.png` for reviewers. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SEED = fileURLToPath(new URL('../../../../../shared/seed/api-authentication.md', import.meta.url));

/** The seed document's text; fails with a clear message when `../shared` is not beside the repo. */
export function seedText(): string {
  if (!existsSync(SEED))
    throw new Error(`the seed document is missing: expected ${SEED} (../shared beside the repo)`);
  return readFileSync(SEED, 'utf8');
}

/** The body of the seed's `=== "<tab>"` fenced block (cURL or Python), unindented. */
export function seedSnippet(tab: 'cURL' | 'Python'): string {
  const text = seedText();
  const start = text.indexOf(`=== "${tab}"`);
  if (start < 0) throw new Error(`the seed has no "${tab}" tab`);
  const fence = /```[^\n]*\n([\s\S]*?)\n\s*```/.exec(text.slice(start));
  if (!fence?.[1]) throw new Error(`the seed's "${tab}" tab has no code block`);
  return fence[1]
    .split('\n')
    .map((line) => line.replace(/^ {8}/, ''))
    .join('\n');
}

/** The seed snippet with only the URL and the placeholders replaced. */
export function fillSeedSnippet(
  tab: 'cURL' | 'Python',
  url: string,
  appName: string,
  secret: string,
): string {
  return seedSnippet(tab)
    .replace(/https:\/\/[^'"\s]+\/api\/v1\/token/, `${url}/api/v1/token`)
    .replaceAll('<APPLICATION NAME>', appName)
    .replaceAll('<SECRET KEY>', secret);
}

/** A python3 that can `import requests`, or an explanation of how to get one. */
export function pythonWithRequests(): string {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', 'import requests'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error('no python3 with the requests module: apt-get install -y python3-requests');
}

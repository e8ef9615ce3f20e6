import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/**
 * Fills the sign-in page (fields labelled Email and Password) and presses Sign in.
 *
 * @example
 * ```ts
 * await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD)
 * ```
 */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The open secret dialog's Secret key, read back from the clipboard after pressing Copy (so the
 * Copy button itself is tested); checks the field is read-only and the copy equals the field.
 *
 * @example
 * ```ts
 * const secret = await copySecret(page)
 * ```
 */
export async function copySecret(page: Page): Promise<string> {
  const secret = await copyField(page, 'Secret key', 'Copy');
  assert.match(secret, /\S{20,}/);
  return secret;
}

/**
 * Presses the Copy button (accessible name `button`) next to the read-only field `label` in the
 * open dialog and returns what landed on the clipboard.
 *
 * @example
 * ```ts
 * const issuer = await copyField(page, 'Issuer', 'Copy Issuer')
 * ```
 */
export async function copyField(page: Page, label: string, button: string): Promise<string> {
  const dialog = page.getByRole('dialog');
  const field = dialog.getByLabel(label, { exact: true });
  await field.waitFor();
  assert.equal(await field.getAttribute('readonly'), '');
  // The inner locator of `has` is matched inside each `.copy-field`, so it starts from the page.
  const row = dialog.locator('.copy-field').filter({ has: page.getByLabel(label, { exact: true }) });
  await row.getByRole('button', { name: button, exact: true }).click();
  await row.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  const copied = String(await page.evaluate('navigator.clipboard.readText()'));
  assert.equal(copied, await field.inputValue());
  return copied;
}

/**
 * Fails when the page is wider than its viewport (something overflows sideways on a narrow window).
 *
 * @example
 * ```ts
 * await page.setViewportSize({ width: 480, height: 800 })
 * await assertNoSidewaysScroll(page)
 * ```
 */
export async function assertNoSidewaysScroll(page: Page): Promise<void> {
  const { scroll, viewport, widest } = (await page.evaluate(`(() => {
    const viewport = window.innerWidth;
    let widest = '';
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > viewport + 1) { widest = el.tagName + '.' + el.className; break; }
    }
    return { scroll: document.documentElement.scrollWidth, viewport, widest };
  })()`)) as { scroll: number; viewport: number; widest: string };
  assert.ok(
    scroll <= viewport,
    `page is ${scroll}px wide in a ${viewport}px window (first overflow: ${widest})`,
  );
  assert.equal(widest, '', `an element reaches past the right edge: ${widest}`);
}

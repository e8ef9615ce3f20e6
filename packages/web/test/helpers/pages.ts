import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/**
 * Fills the sign-in page (fields **Email** and **Password**, button **Sign in**) and submits it.
 *
 * @example
 * ```ts
 * await page.goto(`${server.url}/settings/org-units`)
 * await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD)
 * ```
 */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
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

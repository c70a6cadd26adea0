// The jobs tray in Chromium, from the script tag under a strict CSP: a real list endpoint
// feeds every listed job; axe in each state, light and dark; 320 px; the keyboard path.
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { executablePath, withChromium } from './with-chromium'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'"

const page = (list: string, extra = '') => ({
  headers: { 'content-security-policy': CSP },
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Tray</title>
<link rel="stylesheet" href="/dist/progress-polling.css">
<script src="/dist/progress-polling.global.min.js"></script>
<script src="/node_modules/axe-core/axe.min.js"></script></head>
<body><main><h1>Orders</h1><p><a href="#top">A link of the page</a></p>
<p>${'The page goes on while jobs run. '.repeat(30)}</p></main>
<div id="jobs" data-progress-tray data-list-url="/lists/${list}/" data-list-interval="300" data-url="/jobs/{id}/"
  data-respond-url="/jobs/{id}/respond/" data-leave-after="600000" data-title="Jobs of this session" ${extra}></div>
</body></html>`,
})

const env = withChromium({
  pages: {
    '/tray-states': page('mixed-states-fast'),
    '/tray-keys': page('mixed-keys'),
    '/tray-narrow': page('mixed-narrow'),
  },
})

const open = env.open

async function axe(at: Page): Promise<string[]> {
  const result = await at.evaluate(async () => {
    const run = (
      window as unknown as {
        axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; nodes: { html: string }[] }[] }> }
      }
    ).axe
    return run.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    })
  })
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 80)).join(' | ')}`)
}

async function pictures(at: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await at.emulateMedia({ colorScheme })
    for (const width of [1200, 360]) {
      await at.setViewportSize({ width, height: 760 })
      await at.screenshot({ path: `test-results/tray-${name}-${colorScheme}-${width}.png` })
    }
  }
  await at.emulateMedia({ colorScheme: 'light' })
  await at.setViewportSize({ width: 1200, height: 760 })
}

describe.skipIf(!executablePath)('the jobs tray, in Chromium', { timeout: 30_000 }, () => {
  mkdirSync('test-results', { recursive: true })

  it('follows a real list endpoint: one request stream for every job; no axe violation while running, at the end and collapsed, light and dark (screenshots); at 320 px', async () => {
    const at = await open('/tray-states', { viewport: { width: 1200, height: 760 } })
    await at.waitForFunction(() => document.querySelectorAll('.pp-tray-row').length === 4)
    await at.waitForFunction(
      () => document.querySelector('.pp-tray-count')?.textContent === '3 jobs running · 1 waiting for an answer',
    )
    for (const colorScheme of ['light', 'dark'] as const) {
      await at.emulateMedia({ colorScheme })
      expect(await axe(at)).toEqual([])
    }
    await pictures(at, 'running')
    // Everything but the approval ends; the list goes on while the approval waits.
    await at.waitForSelector('.pp-tray-row .progress-polling[data-status="failed"]', { timeout: 10_000 })
    await at.waitForFunction(
      () => document.querySelectorAll('.pp-tray-row .progress-polling[data-status="succeeded"]').length === 2,
      undefined,
      { timeout: 10_000 },
    )
    expect(await at.textContent('.pp-tray-count')).toBe('1 waiting for an answer')
    for (const colorScheme of ['light', 'dark'] as const) {
      await at.emulateMedia({ colorScheme })
      expect(await axe(at)).toEqual([])
    }
    await pictures(at, 'end')
    await at.click('.pp-tray-counter')
    expect(await at.getAttribute('.pp-tray-counter', 'aria-expanded')).toBe('false')
    expect(await axe(at)).toEqual([])
    await pictures(at, 'collapsed')
    // One request stream: the list, never a listed job's own URL.
    for (const id of ['import', 'video', 'send', 'approval']) expect(env.server.requests(id)).toBe(0)
    expect(env.server.requests('list:mixed-states-fast')).toBeGreaterThan(6)
    // One live region for the whole tray; the rows have none.
    expect(await at.$$eval('.pp-tray [aria-live], .pp-tray [role="status"]', (all) => all.length)).toBe(1)
    // At 320 px: within the screen, above the page's content, nothing overflows.
    await at.click('.pp-tray-counter')
    await at.setViewportSize({ width: 320, height: 640 })
    const layout = await at.evaluate(() => {
      const tray = document.querySelector('.pp-tray') as HTMLElement
      const box = tray.getBoundingClientRect()
      const counter = (document.querySelector('.pp-tray-counter') as HTMLElement).getBoundingClientRect()
      const top = document.elementFromPoint(counter.left + counter.width / 2, counter.top + counter.height / 2)
      return {
        left: box.left,
        right: box.right,
        scroll: document.documentElement.scrollWidth,
        onTop: tray.contains(top),
      }
    })
    expect(layout.left).toBeGreaterThanOrEqual(0)
    expect(layout.right).toBeLessThanOrEqual(320)
    expect(layout.scroll).toBeLessThanOrEqual(320)
    expect(layout.onTop).toBe(true)
    await at.screenshot({ path: 'test-results/tray-end-light-320.png' })
    await at.close()
  })

  it('by keyboard: Tab reaches the counter and each row’s controls, Escape collapses with the focus kept, nothing steals it; right to left, it sits in the mirrored corner', async () => {
    const at = await open('/tray-keys')
    await at.waitForSelector('.pp-tray-row .pp-actions button')
    await at.focus('main a')
    const path: string[] = []
    for (let n = 0; n < 4; n++) {
      await at.keyboard.press('Tab')
      path.push(
        await at.evaluate(() =>
          (document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent || '').trim(),
        ),
      )
    }
    expect(path).toEqual(['3 jobs running · 1 waiting for an answer', 'Apply', 'Skip', 'Close Price update'])
    // Updates of the rows never move the focus.
    await at.waitForTimeout(700)
    expect(await at.evaluate(() => document.activeElement?.closest('.pp-tray') !== null)).toBe(true)
    await at.keyboard.press('Escape')
    expect(await at.getAttribute('.pp-tray-counter', 'aria-expanded')).toBe('false')
    expect(await at.evaluate(() => document.activeElement?.className)).toBe('pp-tray-counter')
    await at.keyboard.press('Enter')
    expect(await at.getAttribute('.pp-tray-counter', 'aria-expanded')).toBe('true')
    // Right to left, the end corner is the left one.
    const side = () => at.$eval('.pp-tray', (tray) => Math.round(tray.getBoundingClientRect().left))
    expect(await side()).toBeGreaterThan(500)
    await at.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'))
    expect(await side()).toBe(16)
    await at.close()
  })
})

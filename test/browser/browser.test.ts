// Real-browser tests: the built files in the system Chromium, against a real local server.
// With no Chromium, they are skipped with a notice, except under CI=true where that fails.
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { executablePath, withChromium } from './with-chromium'
import { CORPUS } from './xss-corpus.mjs'

if (!executablePath) {
  if (process.env.CI === 'true')
    throw new Error('No Chromium found for the browser tests (set CHROME_PATH, or install chromium)')
  console.warn('\n[browser tests] skipped: no Chromium found. Set CHROME_PATH or install chromium to run them.\n')
}

const head = (extra = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>test</title>
<link rel="stylesheet" href="/dist/progress-polling.css">${extra}</head>`
const SCRIPT = '<script src="/dist/progress-polling.global.min.js"></script>'
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'"

const pages: Record<string, { body: string; type?: string; headers?: Record<string, string> }> = {
  '/script-inline': {
    body: `${head(SCRIPT)}<body><div id="jauge"></div><script>
      new ProgressPolling('jauge', 'quick-inline', { url: '/jobs/{id}/', title: 'Import', icon: '📊', pollInterval: 50,
        onComplete: (s) => { document.body.dataset.done = s.status } })
    </script></body></html>`,
  },
  '/declarative': {
    body: `${head(SCRIPT)}<body>
      <div id="a" data-progress-polling="/jobs/quick-declarative/" data-title="Import" data-poll-interval="50"></div>
    </body></html>`,
  },
  '/esm': {
    body: `${head()}<body><div id="jauge"></div><script type="module">
      import { ProgressPolling, pollJob } from '/dist/progress-polling.js'
      const widget = new ProgressPolling('#jauge', '/jobs/quick-esm/', { pollInterval: 50 })
      widget.done.then((s) => { document.body.dataset.done = s.status })
      window.headless = pollJob('/jobs/quick-headless/', { pollInterval: 50 }).done.then((s) => s.status)
    </script></body></html>`,
  },
  '/two': {
    body: `${head(SCRIPT)}<body>
      <div data-progress-polling="/jobs/quick-two-a/" data-poll-interval="50"></div>
      <div data-progress-polling="/jobs/fail-two-b/" data-poll-interval="50"></div>
    </body></html>`,
  },
  '/destroy': {
    body: `${head(SCRIPT)}<body><div id="jauge"></div><script>
      const widget = new ProgressPolling('jauge', '/jobs/state-running-destroy/', { pollInterval: 100 })
      widget.done.catch((e) => { document.body.dataset.stopped = e.name })
      addEventListener('progress-polling:start', () => widget.destroy())
    </script></body></html>`,
  },
  '/rtl': {
    body: `${head(SCRIPT).replace('<html lang="en">', '<html lang="ar" dir="rtl">')}<body style="margin:8px">
      <div data-progress-polling="/jobs/state-running-rtl/" data-title="استيراد جهات الاتصال"></div></body></html>`,
  },
  '/csp': {
    headers: { 'content-security-policy': CSP },
    body: `${head('<script src="/csp.js"></script><script src="/dist/progress-polling.global.min.js"></script>')}<body>
      <div id="jauge"></div><div data-progress-polling="/jobs/quick-csp-declarative/" data-poll-interval="50"></div>
      <script src="/csp-start.js"></script></body></html>`,
  },
  '/csp.js': {
    type: 'text/javascript',
    body: `window.violations = []
      document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI))`,
  },
  '/csp-start.js': {
    type: 'text/javascript',
    body: `new ProgressPolling('jauge', '/jobs/quick-csp/', { pollInterval: 50, title: 'CSP', onComplete: () => { document.body.dataset.done = '1' } })`,
  },
  '/xss': {
    headers: { 'content-security-policy': CSP },
    body: `${head(`<script src="/xss-trap.js"></script>${SCRIPT}`)}<body><main id="all"></main><script src="/xss.js"></script></body></html>`,
  },
  '/xss-trap.js': {
    type: 'text/javascript',
    body: `window.violations = []
      document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective))
      window.alert = () => { window.__pwned = 'alert' }`,
  },
  '/xss.js': {
    type: 'text/javascript',
    body: `const corpus = ${JSON.stringify(CORPUS)}
      corpus.forEach((text, n) => {
        const box = document.createElement('div')
        document.getElementById('all').append(box)
        // Odd ones end on a limit, so that the timeoutMessage option is shown too.
        const limit = n % 2 ? { maxAttempts: 1, timeoutMessage: text } : {}
        new ProgressPolling(box, '/jobs/hostile-' + n + '/', { pollInterval: 50, title: text, icon: text, showDetails: true,
          labels: { failed: text, running: text, lost: text }, stageLabels: { [text]: text }, steps: [text, 'x'], ...limit })
      })`,
  },
  // One page per colour scheme: the jobs whose answers change are each page's own.
  ...Object.fromEntries(
    ['light', 'dark'].map((scheme) => [
      `/axe-${scheme}`,
      {
        body: `${head(`${SCRIPT}<script src="/node_modules/axe-core/axe.min.js"></script>`)}<body><main>
      <h1>States</h1>
      ${['pending', 'running', 'indeterminate', 'waiting', 'completed', 'failed']
        .map(
          (s) =>
            `<div data-progress-polling="/jobs/state-${s}-axe/" data-title="Job ${s}" data-poll-interval="60000"></div>`,
        )
        .join('\n')}
      <div data-progress-polling="/jobs/flaky-axe/" data-title="Reconnecting job"></div>
      <div data-progress-polling="/jobs/retry-axe-${scheme}/" data-title="Job retrying on the server" data-poll-interval="300"></div>
      <div data-progress-polling="/jobs/gone-axe/" data-title="Job no longer readable"></div>
      <div data-progress-polling="/jobs/state-running-stages/" data-title="Stages" data-steps='["uploading","state-running-x","analyzing"]'></div>
      <div data-progress-polling="/jobs/ask-axe-${scheme}/" data-title="Job asking a question" data-respond-url="/jobs/{id}/respond/" data-poll-interval="60000"></div>
      <div data-progress-polling="/jobs/long-axe-${scheme}/" data-title="Long job, cancel offered" data-cancel-url="/jobs/{id}/cancel/" data-poll-interval="60000"></div>
      <div data-progress-polling="/jobs/long-confirm-${scheme}/" data-title="Long job, cancel being confirmed" data-cancel-url="/jobs/{id}/cancel/" data-poll-interval="60000"></div>
      <div data-progress-polling="/jobs/fail-axe-${scheme}/" data-title="Failed job, retry offered" data-retry-url="/jobs/fail-axe-${scheme}/retry/" data-poll-interval="100"></div>
    </main></body></html>`,
      },
    ]),
  ),
}

const env = withChromium({ corpus: CORPUS, pages })

const open = env.open

describe.skipIf(!executablePath)('in Chromium, from the built files', { timeout: 20_000 }, () => {
  it('a script-tag page starts a widget inline and follows the job to its end', async () => {
    const page = await open('/script-inline')
    await page.waitForSelector('body[data-done="succeeded"]')
    expect(await page.textContent('.pp-title')).toBe('Import')
    expect(await page.getAttribute('[role=progressbar]', 'aria-valuenow')).toBe('100')
    expect(await page.textContent('.pp-label')).toBe('Completed')
    await page.close()
  })

  it('a declarative page with the script in <head> and no script of its own', async () => {
    const page = await open('/declarative')
    await page.waitForSelector('#a .progress-polling[data-status="succeeded"]')
    expect(await page.textContent('#a .pp-title')).toBe('Import')
    await page.close()
  })

  it('an ESM import page, with the headless poller too', async () => {
    const page = await open('/esm')
    await page.waitForSelector('body[data-done="succeeded"]')
    expect(await page.evaluate(() => (window as unknown as { headless: Promise<string> }).headless)).toBe('succeeded')
    await page.close()
  })

  it('two widgets on one page, each with its own end', async () => {
    const page = await open('/two')
    await page.waitForSelector('.progress-polling[data-status="succeeded"]')
    await page.waitForSelector('.progress-polling[data-status="failed"]')
    expect(await page.textContent('.progress-polling[data-status="failed"] .pp-message')).toBe('Row 7: bad e-mail')
    await page.close()
  })

  it('destroy() removes the widget, settles done and sends no other request', async () => {
    const page = await open('/destroy')
    await page.waitForSelector('body[data-stopped="PollingStoppedError"]', { state: 'attached' })
    expect(await page.$('.progress-polling')).toBeNull()
    await page.waitForTimeout(500)
    expect(env.server.requests('state-running-destroy')).toBe(1)
    await page.close()
  })

  it('right to left and 320 px wide: no overflow, the bar fills from the right', async () => {
    const page = await open('/rtl', { viewport: { width: 320, height: 640 } })
    await page.waitForSelector('.progress-polling[data-status="running"]')
    await page.waitForTimeout(500)
    const layout = await page.evaluate(() => {
      const bar = document.querySelector('.pp-bar')?.getBoundingClientRect() as DOMRect
      const fill = document.querySelector('.pp-fill')?.getBoundingClientRect() as DOMRect
      return {
        scroll: document.documentElement.scrollWidth,
        barRight: bar.right,
        fillRight: fill.right,
        fillWidth: fill.width,
        barWidth: bar.width,
      }
    })
    expect(layout.scroll).toBeLessThanOrEqual(320)
    expect(Math.abs(layout.fillRight - layout.barRight)).toBeLessThan(1)
    expect(layout.fillWidth / layout.barWidth).toBeCloseTo(0.42, 1)
    mkdirSync('test-results', { recursive: true })
    await page.screenshot({ path: 'test-results/rtl-320.png' })
    await page.close()
  })

  it('runs under a strict CSP with Trusted Types required: no violation', async () => {
    const page = await open('/csp')
    await page.waitForSelector('body[data-done="1"]')
    await page.waitForSelector('[data-progress-polling] .progress-polling[data-status="succeeded"]')
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([])
    await page.close()
  })

  it(`renders ${CORPUS.length} hostile strings in every field and option as text: none runs, none becomes an element`, async () => {
    const page = await open('/xss')
    await page.waitForFunction(
      // Even ones fail on the server's word; odd ones stop at maxAttempts, when polling is lost.
      (n) =>
        document.querySelectorAll('.progress-polling:is([data-status="failed"], [data-connection="lost"])').length ===
        n,
      CORPUS.length,
      {
        timeout: 20_000,
      },
    )
    const report = await page.evaluate(() => {
      const allowed = new Set(['DIV', 'SPAN', 'P', 'DL', 'DT', 'DD', 'OL', 'LI'])
      const strange = [...document.querySelectorAll('.progress-polling *')].filter((el) => !allowed.has(el.tagName))
      return {
        pwned: (window as unknown as { __pwned?: unknown }).__pwned,
        violations: (window as unknown as { violations: string[] }).violations,
        strange: strange.map((el) => el.outerHTML.slice(0, 60)),
        texts: [...document.querySelectorAll('.progress-polling')].map((w) => ({
          title: w.querySelector('.pp-title')?.textContent,
          message: w.querySelector('.pp-message')?.textContent,
        })),
      }
    })
    expect(report.pwned).toBeUndefined()
    expect(report.violations).toEqual([])
    expect(report.strange).toEqual([])
    report.texts.forEach(({ title, message }, n) => {
      expect(title).toBe(CORPUS[n])
      expect(message).toBe(CORPUS[n])
    })
    await page.close()
  }, 30_000)

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no WCAG 2 A/AA violation in any state (axe-core, ${colorScheme})`, async () => {
      const page = await open(`/axe-${colorScheme}`, { colorScheme })
      await page.waitForSelector('[data-connection="retrying"]')
      await page.waitForSelector('[data-connection="lost"]')
      await page.waitForSelector('[data-attempt]')
      await page.waitForFunction(
        () => document.querySelectorAll('.progress-polling[data-status]:not([data-status="pending"])').length >= 6,
      )
      // The actions: answers, cancel, its confirmation, retry.
      await page.waitForFunction(() => document.querySelectorAll('.pp-actions button').length >= 5)
      await page.locator('[data-progress-polling*="long-confirm"] button').click()
      await page.waitForSelector('[data-progress-polling*="long-confirm"] button[data-kind="danger"]')
      await page.waitForTimeout(400)
      const states = await page.$$eval('.progress-polling', (all) =>
        all.map(
          (w) =>
            `${w.getAttribute('data-status')}${w.hasAttribute('data-indeterminate') ? '/indeterminate' : ''}${w.hasAttribute('data-connection') ? `/${w.getAttribute('data-connection')}` : ''}${w.hasAttribute('data-attempt') ? `/attempt ${w.getAttribute('data-attempt')}` : ''}`,
        ),
      )
      expect(states).toEqual(
        expect.arrayContaining([
          'pending',
          'running',
          'running/indeterminate',
          'waiting',
          'succeeded',
          'failed',
          'pending/indeterminate/retrying',
          'running/lost',
          'running/attempt 2',
        ]),
      )
      const result = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (
                context: unknown,
                options: unknown,
              ) => Promise<{ violations: { id: string; nodes: { html: string; failureSummary: string }[] }[] }>
            }
          }
        ).axe
        return axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
        })
      })
      const violations = result.violations.map(
        (v) => `${v.id}: ${v.nodes.map((n) => `${n.html} — ${n.failureSummary}`).join(' | ')}`,
      )
      expect(violations).toEqual([])
      // content-visibility: auto leaves off-screen cards unpainted in a full-page capture:
      // the viewport is made as tall as the page instead.
      for (const width of [1200, 360]) {
        await page.setViewportSize({ width, height: 800 })
        const height = await page.evaluate(() => document.documentElement.scrollHeight)
        await page.setViewportSize({ width, height })
        await page.screenshot({ path: `test-results/states-${colorScheme}-${width}.png` })
      }
      await page.close()
    })
  }

  it('the demo page: every scenario reaches its end state, answered, cancelled and retried by a person (screenshots in test-results/)', async () => {
    const page = await open('/demo/index.html?run=all')
    await page.waitForSelector('html[data-ready]')
    // A person answers the question, cancels the long job, and retries the failed one as soon
    // as it fails: the new job runs to its end in the same widget.
    await page.getByRole('button', { name: 'Keep both' }).click({ timeout: 15_000 })
    const long = page.locator('.slot', { hasText: 'Re-indexing' })
    await long.getByRole('button', { name: 'Cancel job' }).click()
    await long.getByRole('button', { name: 'Yes, cancel it' }).click()
    const failed = page.locator('.slot', { hasText: 'Newsletter send' })
    await failed.locator('[data-status="failed"]').waitFor({ timeout: 15_000 })
    expect(await failed.locator('.pp-message').textContent()).toContain('is not valid')
    await failed.getByRole('button', { name: 'Retry' }).click()
    // Every job ends: succeeded, cancelled (by the person, and by someone else), or followed no
    // longer (the server that went down, the expired session), never shown as failed.
    await page.waitForFunction(
      () => {
        const all = [...document.querySelectorAll('#widgets .progress-polling')]
        return (
          all.length >= 12 &&
          all.every(
            (w) =>
              /succeeded|cancelled/.test(w.getAttribute('data-status') ?? '') ||
              w.getAttribute('data-connection') === 'lost',
          )
        )
      },
      undefined,
      { timeout: 30_000 },
    )
    const statuses = await page.$$eval('#widgets .progress-polling', (all) =>
      all.map((w) => `${w.getAttribute('data-status')}${w.hasAttribute('data-connection') ? ' lost' : ''}`),
    )
    expect(statuses.filter((s) => s === 'cancelled')).toHaveLength(2)
    expect(statuses.filter((s) => s.endsWith('lost'))).toHaveLength(2)
    expect(await page.locator('.slot', { hasText: 'Session that expires' }).locator('.pp-label').textContent()).toBe(
      'Unreadable',
    )
    expect(await page.locator('.slot', { hasText: 'asks a question' }).locator('.pp-message').textContent()).toContain(
      'kept the 12 existing',
    )
    await page.screenshot({ path: 'test-results/demo-end.png', fullPage: true })
    // The tray: three jobs the session's list endpoint lists, one added by the page, stop all.
    await page.getByRole('button', { name: 'Three jobs in the tray' }).click()
    await page.waitForFunction(() => document.querySelectorAll('.pp-tray-row').length === 3)
    await page.getByRole('button', { name: 'Add a job to the tray' }).click()
    await page.waitForFunction(() => document.querySelector('.pp-tray-count')?.textContent === '4 jobs running')
    await page.screenshot({ path: 'test-results/demo-tray.png' })
    await page.getByRole('button', { name: 'Stop all' }).click()
    expect(await page.textContent('.pp-tray-count')).toBe('No job running')
    await page.close()
  }, 60_000)

  it('the demo in two tabs: a job added to the tray is polled by one tab for both, and is back after a reload', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1200, height: 900 } })
    const [a, b] = [await context.newPage(), await context.newPage()]
    // No job but the tray's: what each tab sends is for that one.
    await a.goto(`${env.server.origin}/demo/index.html?run=none`)
    await a.waitForSelector('html[data-ready]')
    await a.getByRole('button', { name: 'A 40 s job to reload during' }).click()
    await a.waitForSelector('.pp-tray-row .progress-polling[data-status="running"]')
    // The second tab finds the saved job in its tray, and shows what the first one polls.
    await b.goto(`${env.server.origin}/demo/index.html?run=none`)
    await b.waitForSelector('.pp-tray-row .progress-polling[data-status="running"]')
    const sent = async (page: Page) => Number((await page.textContent('#requests'))?.match(/\d+$/)?.[0])
    const before = [await sent(a), await sent(b)]
    await b.waitForTimeout(2_000)
    const during = [(await sent(a)) - (before[0] as number), (await sent(b)) - (before[1] as number)]
    expect(during.filter((n) => n > 0)).toHaveLength(1)
    expect(Math.max(...during)).toBeGreaterThanOrEqual(3)
    // A reload during the job: it is back in the tray, where it was.
    const percent = Number(await a.getAttribute('.pp-tray-row [role="progressbar"]', 'aria-valuenow'))
    await a.reload()
    await a.waitForSelector('html[data-ready]')
    expect(Number(await a.getAttribute('.pp-tray-row [role="progressbar"]', 'aria-valuenow'))).toBeGreaterThanOrEqual(
      percent,
    )
    expect(await a.textContent('.pp-tray-row .pp-title')).toBe('Archive (40 s): reload the page')
    await a.screenshot({ path: 'test-results/demo-tabs.png' })
    await context.close()
  }, 30_000)

  it('the demo in French: the language switch makes the page, and so its widgets, French', async () => {
    const page = await open('/demo/index.html')
    await page.waitForSelector('html[data-ready]')
    await page.selectOption('#language', 'fr')
    await page.waitForSelector('html[lang="fr"][data-ready]')
    const running = page.locator('#widgets .progress-polling[data-status="running"]').first()
    await running.waitFor()
    expect(await running.locator('.pp-label').textContent()).toBe('En cours')
    expect(await running.locator('.pp-count').textContent()).toMatch(/^\d+ sur 240$/)
    expect(await page.locator('#widgets .pp-title').first().textContent()).toBe('Import des contacts')
    await page.screenshot({ path: 'test-results/demo-fr.png', fullPage: true })
    await page.close()
  }, 30_000)
})

// Many tabs of one browser on one job, in Chromium: the pages of one context share their
// storage, BroadcastChannel and Web Locks as a browser's tabs do (127.0.0.1 is a secure
// context). One request stream whatever the number of tabs; the hand-over when the polling
// tab closes; a reload that restores; expiry; "finished while away" once for two tabs;
// storage that throws; the election without Web Locks.
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PATIENCE } from '../../src/core/transport/shared'
import { executablePath, withChromium } from './with-chromium'

/**
 * A page that follows `?job=` (or, with `?restore`, what `ProgressPolling.restore()` gives;
 * `?restore=later` when the test calls `restore()`) in a widget, and counts what it is told
 * in `window.seen`.
 */
const TAB = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tab</title>
<link rel="stylesheet" href="/dist/progress-polling.css">
<script src="/dist/progress-polling.global.min.js"></script></head>
<body><main id="w"></main><script>
const q = new URLSearchParams(location.search)
const seen = (window.seen = { start: 0, complete: 0, errors: [], percents: [], away: [], restored: [] })
document.addEventListener('progress-polling:finished-away', (e) => seen.away.push(e.detail.snapshot.status))
const options = {
  title: 'Import',
  pollInterval: Number(q.get('interval') || 250),
  persist: q.has('persist'),
  persistFor: Number(q.get('for') || 1800000),
  debug: q.has('debug'),
  onStart: () => seen.start++,
  onProgress: (s) => seen.percents.push(s.percent),
  onComplete: () => seen.complete++,
  onError: (e) => seen.errors.push(e.name),
}
window.restore = () => {
  for (const job of ProgressPolling.restore()) {
    seen.restored.push([job.url, job.snapshot && job.snapshot.percent])
    new ProgressPolling('w', job.url, options)
  }
}
if (q.get('restore') === '') restore()
else if (q.has('job')) new ProgressPolling('w', '/jobs/' + q.get('job') + '/', options)
</script></body></html>`

const env = withChromium({ pages: { '/tab': { body: TAB } } })

type Seen = {
  start: number
  complete: number
  errors: string[]
  percents: number[]
  away: string[]
  restored: [string, number][]
}
const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: Seen }).seen)
const timesOf = (job: string): number[] => env.server.times(job)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The tab that polls, of each browser (with `debug`). */
const leading = new Map<BrowserContext, Page>()

/** `n` tabs of one new browser context on `query`, opened one after the other. */
async function tabs(n: number, query: string, context?: BrowserContext): Promise<Page[]> {
  const at = context ?? (await env.browser.newContext())
  const pages: Page[] = []
  for (let i = 0; i < n; i++) {
    const page = await at.newPage()
    page.on('pageerror', (error) => {
      throw error
    })
    // With `debug`, the tab that takes the polling over says so.
    page.on('console', (message) => {
      if (message.text().includes('this tab polls the job')) leading.set(page.context(), page)
    })
    pages.push(page)
  }
  // In order, each once the one before has loaded: the first is the one that polls.
  for (const page of pages) await page.goto(`${env.server.origin}/tab?${query}`)
  return pages
}

describe.skipIf(!executablePath)('tabs of one browser, in Chromium', { timeout: 30_000 }, () => {
  it('polls once for three tabs on one job, which show the same snapshots; hands over when the polling tab closes, from the last snapshot', async () => {
    const job = 'sixty-three-tabs'
    const pages = await tabs(3, `job=${job}&interval=250`)
    await Promise.all(
      pages.map((page) => page.waitForFunction(() => (window as unknown as { seen: Seen }).seen.percents.length > 0)),
    )
    const from = env.server.requests(job)
    await sleep(1_500)
    // One stream: a request every 250 ms and the answer's time, as one tab alone sends.
    const sent = env.server.requests(job) - from
    console.info(`three tabs on one job: ${sent * 40} requests a minute (one tab alone: at most 240)`)
    expect(sent).toBeLessThanOrEqual(7)
    const values = await Promise.all(
      pages.map((page) =>
        page.evaluate(() => Number(document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow'))),
      ),
    )
    // Within one snapshot of each other: a tab shows a snapshot a moment after the poller.
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1)
    const [first, ...others] = pages
    const closedAt = Date.now()
    await first?.close()
    await sleep(1_200)
    // From the closing to the next request (another tab's), and the gap around it.
    const times = timesOf(job)
    const next = times.find((t) => t > closedAt) as number
    const gap = next - (times.filter((t) => t <= closedAt).at(-1) as number)
    console.info(`hand-over: a request ${next - closedAt} ms after the polling tab closed; ${gap} ms between requests`)
    expect(next - closedAt).toBeLessThanOrEqual(1_250)
    expect(timesOf(job).filter((t) => t > Date.now() - 1_000).length).toBeLessThanOrEqual(5)
    for (const page of others) {
      const s = await seen(page)
      expect(s.start).toBe(1)
      // Never back to an earlier percent.
      expect(s.percents).toEqual([...s.percents].sort((a, b) => a - b))
    }
    await others[0]?.context().close()
  })

  it('hands over when the polling tab hides, and when it freezes with the lock', async () => {
    const context = await env.browser.newContext()
    // A tab the test can hide: `visibilityState` as the page's own code reads it.
    await context.addInitScript(() => {
      Object.defineProperty(document, 'visibilityState', {
        get: () => ((window as unknown as { hidden?: boolean }).hidden ? 'hidden' : 'visible'),
      })
    })
    const job = 'sixty-hide'
    const [first, second, third] = await tabs(3, `job=${job}&interval=300&debug`, context)
    await sleep(400)
    await first?.evaluate(() => {
      ;(window as unknown as { hidden: boolean }).hidden = true
      document.dispatchEvent(new Event('visibilitychange'))
    })
    const hiddenAt = Date.now()
    await sleep(1_000)
    const times = timesOf(job)
    expect(times.find((t) => t > hiddenAt + 50)).toBeLessThan(hiddenAt + 1_000)
    // The hidden tab polls no more; another does, alone.
    expect(times.filter((t) => t > Date.now() - 900).length).toBeLessThanOrEqual(4)
    // The polling tab freezes, still holding the lock: its script stops (paused in the
    // debugger, as a browser stops a frozen tab's).
    const leader = leading.get(context) as Page
    expect([second, third]).toContain(leader)
    const cdp = await context.newCDPSession(leader)
    await cdp.send('Debugger.enable')
    await cdp.send('Debugger.pause')
    const frozenAt = Date.now()
    await sleep(2_000)
    const next = timesOf(job).find((t) => t > frozenAt + 100) as number
    console.info(`hand-over from a frozen tab: a request ${next - frozenAt} ms after it froze`)
    // Within an interval (300 ms) and a second, and the time of a request.
    expect(next - frozenAt).toBeLessThanOrEqual(300 + PATIENCE + 300)
    expect(leading.get(context)).not.toBe(leader)
    await cdp.send('Debugger.resume')
    await context.close()
  })

  it('ends each tab once, and reports "finished while away" once for two tabs that restore a job that ended unwatched', async () => {
    const context = await env.browser.newContext()
    const [page] = await tabs(1, 'job=soon-away&persist', context)
    await page?.waitForFunction(() => (window as unknown as { seen: Seen }).seen.percents.length > 0)
    // The tab goes; the job ends three seconds after it started, with no page to watch it.
    await page?.close()
    await sleep(2_000)
    // Two tabs that come back together, as a browser restores its tabs.
    const two = await tabs(2, 'restore=later', context)
    await Promise.all(two.map((page) => page.evaluate(() => (window as unknown as { restore(): void }).restore())))
    await sleep(1_000)
    const both = await Promise.all(two.map(seen))
    expect(both.map((s) => s.restored.length)).toEqual([1, 1])
    expect(both.map((s) => s.complete)).toEqual([1, 1])
    expect(both.flatMap((s) => s.away)).toEqual(['succeeded'])
    // Reported, so forgotten: a third tab restores nothing.
    const [c] = await tabs(1, 'restore', context)
    await sleep(500)
    expect((await seen(c as Page)).restored).toEqual([])
    await context.close()
  })

  it('restores a job after a reload: the saved snapshot at once, then on to its end', async () => {
    const [page] = await tabs(1, 'job=sixty-reload&persist')
    await page?.waitForFunction(() => (window as unknown as { seen: Seen }).seen.percents.some((p) => p >= 2))
    await page?.goto(`${env.server.origin}/tab?restore`)
    const s = await seen(page as Page)
    expect(s.restored).toHaveLength(1)
    expect(s.restored[0]?.[0]).toMatch(/\/jobs\/sixty-reload\/$/)
    // Shown before any answer of this page.
    expect(s.restored[0]?.[1]).toBeGreaterThanOrEqual(2)
    expect(await page?.getAttribute('[role="progressbar"]', 'aria-valuenow')).toBe(String(s.restored[0]?.[1]))
    await page?.waitForFunction(() => (window as unknown as { seen: Seen }).seen.start === 1)
    await page?.context().close()
  })

  it('forgets a saved job that expired', async () => {
    // A job that stays at 30 %: saved once, never again.
    const [page] = await tabs(1, 'job=long-expiry&persist&for=1000')
    await sleep(1_500)
    await page?.goto(`${env.server.origin}/tab?restore`)
    expect((await seen(page as Page)).restored).toEqual([])
    expect(
      await page?.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('progress-polling:'))),
    ).toEqual([])
    await page?.context().close()
  })

  it('polls to the end when storage throws at every access', async () => {
    const context = await env.browser.newContext()
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The user denied storage', 'SecurityError')
        },
      })
    })
    const [page] = await tabs(1, 'job=quick-nostorage&persist', context)
    await page?.waitForFunction(() => (window as unknown as { seen: Seen }).seen.complete === 1)
    expect((await seen(page as Page)).errors).toEqual([])
    await page?.goto(`${env.server.origin}/tab?restore`)
    expect((await seen(page as Page)).restored).toEqual([])
    await context.close()
  })

  it('elects one polling tab over BroadcastChannel where there are no Web Locks (plain http)', async () => {
    const context = await env.browser.newContext()
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined })
    })
    const job = 'sixty-nolocks'
    await tabs(2, `job=${job}`, context)
    await sleep(600)
    const from = env.server.requests(job)
    await sleep(1_250)
    // One stream of about four a second, not two.
    expect(env.server.requests(job) - from).toBeLessThanOrEqual(6)
    await context.close()
  })
})

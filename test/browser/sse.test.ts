// Server-Sent Events in Chromium against a real streaming server: the native EventSource
// (no headers) and fetch streaming (headers), a stream cut mid-way and resumed by id, a stream
// that 404s, and one behind a proxy that buffers it (auto falls back to polling).
// With no Chromium, they are skipped with a notice, except under CI=true where that fails.
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium, LAUNCH_ARGS } from './chromium.mjs'
import { startBufferingProxy, startServer } from './server.mjs'

const executablePath = findChromium()
if (!executablePath) {
  if (process.env.CI === 'true')
    throw new Error('No Chromium found for the browser tests (set CHROME_PATH, or install chromium)')
  console.warn('\n[browser tests] skipped: no Chromium found. Set CHROME_PATH or install chromium to run them.\n')
}

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sse</title>
<link rel="stylesheet" href="/dist/progress-polling.css"></head><body><div id="box"></div>
<script src="/dist/progress-polling.global.min.js"></script>
<script>window.start = (source, options) => { window.widget = new ProgressPolling('box', source, options) }</script>
</body></html>`

let browser: Browser
let server: Awaited<ReturnType<typeof startServer>>
let proxy: Awaited<ReturnType<typeof startBufferingProxy>>

beforeAll(async () => {
  if (!executablePath) return
  server = await startServer({ pages: { '/sse': { body: PAGE } } })
  proxy = await startBufferingProxy(server.origin)
  browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS })
}, 60_000)
afterAll(async () => {
  await browser?.close()
  proxy?.close()
  server?.server.close()
})

async function follow(origin: string, source: string, options: Record<string, unknown>): Promise<Page> {
  const page = await browser.newPage()
  page.on('pageerror', (error) => {
    throw error
  })
  await page.goto(`${origin}/sse`)
  await page.evaluate(
    ([source, options]) =>
      (window as never as { start: (source: string, options: object) => void }).start(source, options),
    [source, options] as const,
  )
  return page
}
const ended = (page: Page) =>
  page.waitForSelector('.progress-polling[data-status="succeeded"]', { timeout: 15_000 }).then(() => true)

describe.skipIf(!executablePath)('Server-Sent Events in Chromium', { timeout: 30_000 }, () => {
  it("transport 'sse' without headers (native EventSource): to the end on one stream, no poll", async () => {
    const page = await follow(server.origin, '/jobs/never-polled-1/', {
      transport: 'sse',
      eventsUrl: '/events/stream-native/',
    })
    expect(await ended(page)).toBe(true)
    expect(await page.textContent('.pp-message')).toBe('Done')
    expect(server.stream('stream-native').connections).toBe(1)
    expect(server.requests('never-polled-1')).toBe(0)
    await page.close()
  })

  it('native: a stream cut after two events resumes from the last id (?lastEventId=, no header possible)', async () => {
    const page = await follow(server.origin, '/jobs/never-polled-2/', {
      transport: 'sse',
      eventsUrl: '/events/stream-drop-native/',
    })
    expect(await ended(page)).toBe(true)
    // The id is the last one the page got before the cut (1, unless the machine was slow to read).
    expect(server.stream('stream-drop-native')).toEqual({
      connections: 2,
      resumes: [expect.stringMatching(/^query [01]$/)],
    })
    await page.close()
  })

  it('with headers (fetch streaming): the header is sent, and the resumption uses Last-Event-ID', async () => {
    const page = await follow(server.origin, '/jobs/never-polled-3/', {
      transport: 'sse',
      eventsUrl: '/events/stream-drop-fetch/',
      headers: { 'X-Requested-With': 'progress-polling' },
    })
    expect(await ended(page)).toBe(true)
    expect(server.stream('stream-drop-fetch')).toEqual({
      connections: 2,
      resumes: [expect.stringMatching(/^header [01]$/)],
    })
    await page.close()
  })

  it("transport 'auto': a stream that 404s falls back to polling the status URL", async () => {
    const page = await follow(server.origin, '/jobs/quick-sse-404/', {
      transport: 'auto',
      eventsUrl: '/events/stream-404-a/',
      pollInterval: 100,
    })
    expect(await ended(page)).toBe(true)
    expect(server.stream('stream-404-a').connections).toBe(1)
    expect(server.requests('quick-sse-404')).toBe(4)
    await page.close()
  })

  it("transport 'auto' behind a buffering proxy: nothing arrives for sseTimeout, so it polls", async () => {
    const page = await follow(proxy.origin, '/jobs/quick-sse-proxy/', {
      transport: 'auto',
      eventsUrl: '/events/stream-proxied/',
      sseTimeout: 1000,
      pollInterval: 100,
    })
    const started = Date.now()
    expect(await ended(page)).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(server.stream('stream-proxied').connections).toBe(1)
    expect(server.requests('quick-sse-proxy')).toBe(4)
    await page.close()
  })
})

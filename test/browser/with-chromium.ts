// One Chromium and one test server for a file of browser tests, started before its tests and
// stopped after them. `env.browser` and `env.server` are set once the tests run.
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { findChromium, LAUNCH_ARGS } from './chromium.mjs'
import { startServer } from './server.mjs'

export const executablePath = findChromium()

export function withChromium(options: Parameters<typeof startServer>[0]) {
  const env = {
    /** A new page at `path` of the server; an error thrown in it fails the test. */
    async open(path: string, pageOptions: Parameters<Browser['newPage']>[0] = {}): Promise<Page> {
      const page = await env.browser.newPage(pageOptions)
      page.on('pageerror', (error) => {
        throw error
      })
      await page.goto(`${env.server.origin}${path}`)
      return page
    },
  } as {
    browser: Browser
    server: Awaited<ReturnType<typeof startServer>>
    open(path: string, pageOptions?: Parameters<Browser['newPage']>[0]): Promise<Page>
  }
  beforeAll(async () => {
    if (!executablePath) return
    env.server = await startServer(options)
    env.browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS })
  }, 60_000)
  afterAll(async () => {
    await env.browser?.close()
    env.server?.server.close()
  })
  return env
}

// One Chromium and one test server for a file of browser tests, started before its tests and
// stopped after them. `env.browser` and `env.server` are set once the tests run.
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { findChromium, LAUNCH_ARGS } from './chromium.mjs'
import { startServer } from './server.mjs'

export const executablePath = findChromium()

export function withChromium(options: Parameters<typeof startServer>[0]) {
  const env = {} as { browser: Browser; server: Awaited<ReturnType<typeof startServer>> }
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

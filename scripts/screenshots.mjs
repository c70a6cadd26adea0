// Takes screenshots of the demo in Chromium, light and dark, mid-run and at the end,
// into test-results/ for review: `node scripts/screenshots.mjs` after `npm run build`.
import { mkdirSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { serveDemo } from '../demo/serve.mjs'
import { findChromium, LAUNCH_ARGS } from '../test/browser/chromium.mjs'

mkdirSync('test-results', { recursive: true })
const server = await serveDemo()
const url = `http://127.0.0.1:${server.address().port}/?run=all`
const browser = await chromium.launch({ executablePath: findChromium(), args: LAUNCH_ARGS })
try {
  for (const colorScheme of ['light', 'dark']) {
    for (const [width, name] of [
      [1100, 'wide'],
      [320, 'narrow'],
    ]) {
      const page = await browser.newPage({ colorScheme, viewport: { width, height: 900 } })
      await page.goto(url)
      await page.waitForTimeout(5000)
      await page.screenshot({ path: `test-results/demo-${colorScheme}-${name}-running.png`, fullPage: true })
      await page.waitForTimeout(10000)
      await page.screenshot({ path: `test-results/demo-${colorScheme}-${name}-end.png`, fullPage: true })
      await page.close()
    }
  }
} finally {
  await browser.close()
  server.close()
}
console.log('screenshots in test-results/')

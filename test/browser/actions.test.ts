// Waiting for a person, in Chromium from the built script: answers, cancel and retry against
// a real server that checks the CSRF header like Django does and records every POST.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { executablePath, withChromium } from './with-chromium'
import { CORPUS } from './xss-corpus.mjs'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'"
const head = (scripts: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>actions</title>
<link rel="stylesheet" href="/dist/progress-polling.css">${scripts}
<script src="/dist/progress-polling.global.min.js"></script></head>`

/** Widgets on the jobs named in the query (`?jobs=ask-1,long-1&csrf=0`), with the page's CSRF token. */
const START = `const query = new URLSearchParams(location.search)
  window.events = []
  addEventListener('progress-polling:action', (e) => events.push(e.detail))
  addEventListener('progress-polling:start', (e) => events.push('start'))
  for (const name of query.get('jobs').split(',')) {
    const box = document.createElement('div')
    box.id = name
    document.querySelector('main').append(box)
    new ProgressPolling(box, '/jobs/' + name + '/', {
      title: name, pollInterval: Number(query.get('interval') ?? 60000),
      headers: query.get('csrf') === '0' ? {} : { 'X-CSRFToken': 'csrf-token' },
      ...(query.has('bodyUrls') ? {} : {
        respondUrl: '/jobs/{id}/respond/', cancelUrl: '/jobs/' + name + '/cancel/', retryUrl: '/jobs/' + name + '/retry/',
      }),
    })
  }`

const pages = {
  '/actions': {
    headers: { 'content-security-policy': CSP },
    body: `${head('')}<body><main></main><script src="/actions-start.js"></script></body></html>`,
  },
  // The same page without a CSP: nothing but the library stands between a redirect and another site.
  '/actions-plain': { body: `${head('')}<body><main></main><script src="/actions-start.js"></script></body></html>` },
  '/actions-start.js': { type: 'text/javascript', body: START },
}

/** An action POST as the server recorded it. */
type Posted = { action: string; body: string; csrf: string | null }
const posts = (name: string) => env.server.posts(name) as Posted[]

const env = withChromium({ corpus: CORPUS, pages })

async function open(jobs: string, query = '', page?: Page, path = '/actions'): Promise<Page> {
  const tab = page ?? (await env.browser.newPage())
  tab.on('pageerror', (error) => {
    throw error
  })
  await tab.goto(`${env.server.origin}${path}?jobs=${jobs}${query}`)
  return tab
}
const status = (page: Page, name: string) => page.getAttribute(`#${name} .progress-polling`, 'data-status')
const waitStatus = (page: Page, name: string, value: string) =>
  page.waitForSelector(`#${name} .progress-polling[data-status="${value}"]`, { timeout: 5000 })

describe.skipIf(!executablePath)('actions in Chromium, from the script tag', { timeout: 20_000 }, () => {
  it('answers with a click: one POST with the CSRF header, polled at once, the job goes on to its end', async () => {
    const page = await open('ask-1')
    await page.getByRole('button', { name: 'Keep both' }).click()
    // Polled at once: with a one-minute interval, the job would not move for a minute.
    await waitStatus(page, 'ask-1', 'running')
    expect(posts('ask-1').map(({ action, body, csrf }) => ({ action, body, csrf }))).toEqual([
      { action: 'respond', body: '{"choice":"keep"}', csrf: 'csrf-token' },
    ])
    // The focus stays in the widget, and the answer is announced.
    expect(await page.evaluate(() => !!document.activeElement?.closest('.progress-polling'))).toBe(true)
    // The job moved on: the question and the notice about it are gone.
    expect(await page.textContent('#ask-1 .pp-notice')).toBe('')
    expect(await page.textContent('#ask-1 .pp-prompt')).toBe('')
    expect(await page.evaluate(() => (window as unknown as { events: unknown[] }).events)).toEqual([
      'start',
      { action: 'respond', choice: 'keep', status: 202, body: { accepted: 'keep' } },
    ])
    await page.close()
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`shows the answer being sent, then sent (screenshots, ${colorScheme}, 360 and 1200 px)`, async () => {
      const page = await env.browser.newPage({ colorScheme, viewport: { width: 1200, height: 400 } })
      await open(`ask-slow-${colorScheme},ask-${colorScheme}-sent`, '', page)
      await page
        .locator('#ask-slow-' + colorScheme)
        .getByRole('button', { name: 'Replace them' })
        .click()
      await page.locator(`#ask-${colorScheme}-sent`).getByRole('button', { name: 'Keep both' }).click()
      // The first is in flight: every button inert, the clicked one marked.
      const sending = page.locator(`#ask-slow-${colorScheme} button`)
      expect(
        await sending.evaluateAll((all) =>
          all.map((b) => [b.getAttribute('aria-disabled'), b.getAttribute('aria-busy')]),
        ),
      ).toEqual([
        ['true', 'true'],
        ['true', null],
      ])
      expect(await page.textContent(`#ask-slow-${colorScheme} .pp-notice`)).toBe('Sending…')
      for (const width of [1200, 360]) {
        await page.setViewportSize({ width, height: 700 })
        await page.screenshot({ path: `test-results/actions-${colorScheme}-${width}.png`, fullPage: true })
      }
      await page.close()
    })
  }

  it('writes nothing in the actions while the job moves on and they stay the same', async () => {
    const page = await env.browser.newPage()
    await page.goto(`${env.server.origin}/actions?jobs=sixty-quiet&interval=100`)
    await page.waitForSelector('#sixty-quiet .pp-actions button')
    const records = await page.evaluate(async () => {
      const actions = document.querySelector('#sixty-quiet .pp-actions') as HTMLElement
      const bar = document.querySelector('#sixty-quiet [role="progressbar"]') as HTMLElement
      const before = bar.getAttribute('aria-valuenow')
      let count = 0
      const observer = new MutationObserver((batch) => {
        count += batch.length
      })
      observer.observe(actions, { subtree: true, childList: true, attributes: true, characterData: true })
      // Two changes of the job at least: 600 ms each.
      while (Number(bar.getAttribute('aria-valuenow')) < Number(before) + 2) await new Promise((r) => setTimeout(r, 50))
      count += observer.takeRecords().length
      observer.disconnect()
      return count
    })
    expect(records).toBe(0)
    await page.close()
  })

  it('does not follow a redirect from a URL the server sent: the CSRF token never reaches another site', async () => {
    const page = await open('askhop-1', '&bodyUrls', undefined, '/actions-plain')
    await page.getByRole('button', { name: 'ok' }).click()
    await page.waitForFunction(
      () => !/^(|Sending…)$/.test(document.querySelector('#askhop-1 .pp-notice')?.textContent ?? ''),
    )
    expect(env.server.stolen('askhop-1')).toBeUndefined()
    expect(await page.textContent('#askhop-1 .pp-notice')).toContain('Could not send')
    await page.close()
  })

  it('another tab answered first: a 409, and the job is polled', async () => {
    const first = await open('ask-2')
    const second = await open('ask-2')
    await first.getByRole('button', { name: 'Replace them' }).click()
    await waitStatus(first, 'ask-2', 'running')
    await second.getByRole('button', { name: 'Keep both' }).click()
    await second.waitForSelector('#ask-2 .progress-polling:not([data-status="waiting"])', { timeout: 5000 })
    expect(await second.evaluate(() => (window as unknown as { events: unknown[] }).events)).toContainEqual({
      action: 'respond',
      choice: 'keep',
      status: 409,
      body: { detail: 'Already answered: replace' },
    })
    expect(posts('ask-2').map((p) => p.body)).toEqual(['{"choice":"replace"}', '{"choice":"keep"}'])
    await first.close()
    await second.close()
  })

  it('without the CSRF token the server refuses: "not allowed", and the answers stay', async () => {
    const page = await open('ask-3', '&csrf=0')
    await page.getByRole('button', { name: 'Keep both' }).click()
    await page.waitForSelector('#ask-3 .pp-notice:has-text("You are not allowed to do this.")')
    expect(await page.getByRole('button', { name: 'Keep both' }).getAttribute('aria-disabled')).toBeNull()
    expect(await status(page, 'ask-3')).toBe('waiting')
    await page.close()
  })

  it('cancels from the keyboard: Tab, Enter, the confirmation takes the focus, then Yes', async () => {
    const page = await open('long-1')
    await page.waitForSelector('#long-1 button')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel job')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('No, keep it')
    expect(await page.textContent('#long-1 .pp-prompt')).toBe('Cancel this job? The work in progress may be lost.')
    expect(posts('long-1')).toEqual([])
    await page.keyboard.press('Shift+Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, cancel it')
    await page.keyboard.press('Enter')
    await waitStatus(page, 'long-1', 'cancelled')
    expect(posts('long-1').map((p) => p.action)).toEqual(['cancel'])
    expect(await page.evaluate(() => !!document.activeElement?.closest('.progress-polling'))).toBe(true)
    await page.close()
  })

  it('retries a failed job and follows the new one as a new run', async () => {
    const page = await open('fail-1', '&interval=100')
    await waitStatus(page, 'fail-1', 'failed')
    await page.getByRole('button', { name: 'Retry' }).click()
    await waitStatus(page, 'fail-1', 'succeeded')
    expect(env.server.requests('quick-fail-1')).toBeGreaterThan(0)
    expect(
      (await page.evaluate(() => (window as unknown as { events: unknown[] }).events)).filter((e) => e === 'start'),
    ).toHaveLength(2)
    await page.close()
  })

  it(`writes ${CORPUS.length} hostile questions, answers and kinds as text under a strict CSP: none runs`, async () => {
    const names = CORPUS.map((_, n) => `xask-${n}`)
    const page = await open(names.join(','))
    // Each offers one answer: its second choice has the same id as the first.
    await page.waitForFunction((n) => document.querySelectorAll('.pp-actions button').length === n, CORPUS.length)
    const report = await page.evaluate(() => {
      const allowed = new Set(['DIV', 'SPAN', 'P', 'DL', 'DT', 'DD', 'OL', 'LI', 'BUTTON'])
      return {
        pwned: (window as unknown as { __pwned?: unknown }).__pwned,
        strange: [...document.querySelectorAll('.progress-polling *')].filter((el) => !allowed.has(el.tagName)).length,
        prompts: [...document.querySelectorAll('.pp-prompt')].map((p) => p.textContent),
        labels: [...document.querySelectorAll('.pp-actions button:first-child')].map((b) => b.textContent),
      }
    })
    expect(report).toEqual({ pwned: undefined, strange: 0, prompts: CORPUS, labels: CORPUS })
    // Answering sends the hostile id back as it is, as JSON.
    await page.locator('#xask-0 button').first().click()
    // The job's id is the hostile string too: the answer went to its URL-encoded path.
    await expect.poll(() => posts(CORPUS[0] as string).map((p) => JSON.parse(p.body))).toEqual([{ choice: CORPUS[0] }])
    await page.close()
  }, 30_000)
})

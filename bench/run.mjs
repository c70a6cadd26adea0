// npm run bench: figures, never pass/fail. In Chromium, from the built files:
// (a) DOM cost of 1,000 widgets, (b) the same for jQuery + Fomantic-UI's progress module,
// (c) requests and bytes of a 60-second job, (d) JS heap after 2,000 create/destroy cycles,
// (e) polling, adaptive polling and Server-Sent Events for a job that changes every 2 s,
// (f) the delay from a click on an answer to the first poll after it,
// (g) a jobs tray of 1,000 listed jobs: one list answer that changes all of them, and one that changes none,
// (h) one job open in 1, 3 and 5 tabs of one browser: requests per minute, and the hand-over when the polling tab closes.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { findChromium, LAUNCH_ARGS } from '../test/browser/chromium.mjs'
import { startBufferingProxy, startServer } from '../test/browser/server.mjs'

const executablePath = findChromium()
if (!executablePath) {
  console.error('No Chromium found: set CHROME_PATH, or install chromium.')
  process.exit(1)
}
const quick = process.argv.includes('--quick')
const WIDGETS = 1000
const ROUNDS = 15

// The widget's view, bundled from the same sources as the dist files, to apply snapshots directly.
const view = await build({
  stdin: {
    contents:
      "import { createView } from './src/view/render.ts'; import { words } from './src/i18n/intl.ts'; window.bench = { createView, words }",
    resolveDir: '.',
    loader: 'ts',
  },
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  write: false,
})
const file = (path) => readFileSync(path, 'utf8')
const page = (head, body = '') =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head><body><div id="all"></div>${body}</body></html>`
const pages = {
  '/view.js': { type: 'text/javascript', body: view.outputFiles[0].text },
  '/ours': { body: page('<link rel="stylesheet" href="/dist/progress-polling.css"><script src="/view.js"></script>') },
  '/fomantic': {
    body: page(
      `<style>${file('node_modules/fomantic-ui-css/components/progress.min.css')}</style>
       <script>${file('node_modules/jquery/dist/jquery.min.js')}</script>
       <script>${file('node_modules/fomantic-ui-css/components/progress.min.js')}</script>`,
    ),
  },
  '/poll': { body: page('<script src="/dist/progress-polling.global.min.js"></script>') },
  '/poll-css': {
    body: page(
      '<link rel="stylesheet" href="/dist/progress-polling.css"><script src="/dist/progress-polling.global.min.js"></script>',
    ),
  },
}
const server = await startServer({ pages })
// Pages side by side run as visible tabs would: no background throttling of timers or events.
const browser = await chromium.launch({
  executablePath,
  args: [
    ...LAUNCH_ARGS,
    '--enable-precise-memory-info',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
  ],
})
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const fixed = (n, digits = 2) => Number(n).toFixed(digits)

// Applies `update(i, round)` to every widget, then forces style and layout; returns the ms
// (and the script part). With `count`, returns the DOM mutations instead, from an observer
// that is kept out of the timed rounds because it slows every write down.
const MEASURE = `window.measure = (update, round, count) => {
  const records = []
  const observer = new MutationObserver((batch) => records.push(...batch))
  if (count) observer.observe(document.getElementById('all'), { subtree: true, childList: true, attributes: true, characterData: true })
  const start = performance.now()
  for (let i = 0; i < window.widgets.length; i++) update(i, round)
  const script = performance.now() - start
  document.body.offsetHeight
  const ms = performance.now() - start
  records.push(...observer.takeRecords())
  observer.disconnect()
  return { ms, script, mutations: records.length }
}`

async function domCost(path, setup, changed, unchanged) {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await tab.goto(`${server.origin}${path}`)
  await tab.evaluate(MEASURE)
  await tab.evaluate(setup, WIDGETS)
  const run = async (update) => {
    const results = []
    for (let round = 1; round <= ROUNDS; round++) results.push(await tab.evaluate(update, [round, false]))
    const { mutations } = await tab.evaluate(update, [ROUNDS + 1, true])
    return { ms: median(results.map((r) => r.ms)), script: median(results.map((r) => r.script)), mutations }
  }
  const result = { changed: await run(changed), unchanged: await run(unchanged) }
  await tab.close()
  return result
}

const ours = await domCost(
  '/ours',
  (n) => {
    const all = document.getElementById('all')
    window.widgets = Array.from({ length: n }, () => {
      const v = window.bench.createView({
        title: 'Import',
        icon: '',
        showDetails: true,
        showStats: true,
        variant: 'default',
        words: window.bench.words('en'),
        stageLabels: {},
      })
      all.append(v.root)
      return v
    })
    window.snapshot = (p) => ({
      status: 'running',
      terminal: false,
      percent: p,
      processed: p,
      total: 100,
      message: `Row ${p}`,
      raw: {},
    })
    for (const w of window.widgets) w.render(window.snapshot(0))
  },
  ([round, count]) => window.measure((i, r) => window.widgets[i].render(window.snapshot(r)), round, count),
  ([round, count]) => window.measure((i) => window.widgets[i].render(window.snapshot(15)), round, count),
)

const fomantic = await domCost(
  '/fomantic',
  (n) => {
    const all = document.getElementById('all')
    for (let i = 0; i < n; i++) {
      all.insertAdjacentHTML(
        'beforeend',
        '<div class="ui indicating progress"><div class="bar"><div class="progress"></div></div><div class="label"></div></div>',
      )
    }
    window.widgets = [...all.children].map((el) => window.jQuery(el).progress({ duration: 0 }))
  },
  ([round, count]) =>
    window.measure(
      (i, r) => {
        window.widgets[i].progress('set percent', r)
        window.widgets[i].progress('set label', `Row ${r}`)
      },
      round,
      count,
    ),
  ([round, count]) =>
    window.measure(
      (i) => {
        window.widgets[i].progress('set percent', 15)
        window.widgets[i].progress('set label', 'Row 15')
      },
      round,
      count,
    ),
)

console.log(`\n(a, b) DOM cost of ${WIDGETS} widgets, median of ${ROUNDS} rounds, apply + style + layout, Chromium`)
console.log(`${''.padEnd(26)}${'changed snapshot'.padEnd(40)}unchanged snapshot`)
const cell = ({ ms, script, mutations }) => `${fixed(ms)} ms (script ${fixed(script)}), ${mutations} mutations`
const row = (name, r) => console.log(`${name.padEnd(26)}${cell(r.changed).padEnd(40)}${cell(r.unchanged)}`)
row('progress-polling', ours)
row('jQuery + Fomantic-UI', fomantic)
console.log(
  `ratio ours/theirs: changed ${fixed(ours.changed.ms / fomantic.changed.ms)}, unchanged ${fixed(ours.unchanged.ms / fomantic.unchanged.ms)}; one frame is 16.7 ms`,
)

// (c) Requests and bytes for a 60-second job, the three cases side by side.
if (!quick) {
  const cases = [
    ['default options', 'sixty-default', ''],
    ['hidden tab', 'sixty-hidden', 'hide'],
    ['unchanged job, ETag', 'sixty-etag', ''],
  ]
  const tabs = await Promise.all(
    cases.map(async ([, name, mode]) => {
      const tab = await browser.newPage()
      await tab.goto(`${server.origin}/poll`)
      await tab.evaluate(
        ([name, mode]) => {
          if (mode === 'hide') {
            Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' })
            document.dispatchEvent(new Event('visibilitychange'))
          }
          window.done = new window.ProgressPolling('all', `/jobs/${name}/`).done.then(() => performance.now())
        },
        [name, mode],
      )
      return tab
    }),
  )
  await new Promise((resolve) => setTimeout(resolve, 61_500))
  console.log('\n(c) a 60-second job (pollInterval 500 ms)')
  for (const [label, name] of cases) {
    console.log(
      `${label.padEnd(26)}${String(server.requests(name)).padStart(4)} requests, ${String(server.bytes(name)).padStart(6)} bytes of bodies`,
    )
  }
  await Promise.all(tabs.map((tab) => tab.close()))
}

// (e) A 60-second job that changes every 2 s: requests, bytes and how late each change is seen.
if (!quick) {
  const proxy = await startBufferingProxy(server.origin)
  const modes = [
    ['polling, 500 ms', server.origin, 'every2-poll', { pollInterval: 500 }],
    ['adaptive, 500 ms to 5 s', server.origin, 'every2-adaptive', { pollInterval: 500, maxPollInterval: 5000 }],
    ['SSE', server.origin, 'stream-sixty-sse', { transport: 'sse', eventsUrl: '/events/stream-sixty-sse/' }],
    [
      'auto, buffering proxy',
      proxy.origin,
      'every2-proxy',
      { transport: 'auto', eventsUrl: '/events/stream-sixty-proxy/' },
    ],
  ]
  const tabs = await Promise.all(
    modes.map(async ([, origin, name, options]) => {
      const tab = await browser.newPage()
      await tab.goto(`${origin}/poll`)
      const source = name.startsWith('stream') ? '/jobs/not-polled/' : `/jobs/${name}/`
      await tab.evaluate(
        ([source, options]) => {
          window.seen = []
          new window.ProgressPolling('all', source, {
            ...options,
            onProgress: (s) => window.seen.push([Date.now(), s.percent]),
          })
        },
        [source, options],
      )
      return tab
    }),
  )
  await new Promise((resolve) => setTimeout(resolve, 63_000))
  console.log('\n(e) a 60-second job that changes every 2 s (30 changes)')
  for (const [i, [label, , name]] of modes.entries()) {
    const seen = await tabs[i].evaluate(() => window.seen)
    // Step k changed at since + 2000 k: since the job's first request, or its stream's first opening.
    const since = server.since(name)
    const first = new Map()
    for (const [at, percent] of seen) if (!first.has(percent)) first.set(percent, at)
    const lags = [...first].map(([percent, at]) => at - (since + 2000 * Math.round((percent * 30) / 100)))
    // Status requests, and stream connections (auto behind the proxy tries its stream first).
    const stream = name === 'every2-proxy' ? 'stream-sixty-proxy' : name
    const requests = server.requests(name) + server.stream(stream).connections
    const bytes = server.bytes(name) + (stream === name ? 0 : server.bytes(stream))
    console.log(
      `${label.padEnd(26)}${String(requests).padStart(4)} requests, ${String(bytes).padStart(6)} bytes of bodies, ` +
        `median lag ${String(median(lags)).padStart(5)} ms over ${lags.length} changes seen`,
    )
  }
  await Promise.all(tabs.map((tab) => tab.close()))
  proxy.close()
}

// (f) An answer clicked in a widget polled every 5 s: when do the POST and the next poll arrive?
{
  const interval = 5000
  const rows = []
  const tab = await browser.newPage()
  for (let i = 0; i < 10; i++) {
    const name = `ask-bench-${i}`
    await tab.goto(`${server.origin}/poll-css`)
    await tab.evaluate(
      ([name, interval]) =>
        new window.ProgressPolling('all', `/jobs/${name}/`, {
          pollInterval: interval,
          respondUrl: '/jobs/{id}/respond/',
          headers: { 'X-CSRFToken': 'csrf-token' },
        }),
      [name, interval],
    )
    const button = tab.getByRole('button', { name: 'Keep both' })
    await button.waitFor()
    const clicked = Date.now()
    await button.click()
    let next
    while (!next) {
      await new Promise((resolve) => setTimeout(resolve, 5))
      const posted = server.posts(name)[0]?.at
      next = posted && server.times(name).find((at) => at >= posted)
      if (next) rows.push([posted - clicked, next - clicked])
    }
  }
  await tab.close()
  console.log(
    `\n(f) an answer clicked in a widget polled every ${interval} ms (10 clicks, medians): the POST arrives ` +
      `${median(rows.map((r) => r[0]))} ms after the click, the next poll ${median(rows.map((r) => r[1]))} ms after ` +
      `(${fixed(median(rows.map((r) => r[1])) / interval, 3)} of an interval)`,
  )
}

// (g) A tray fed by a list endpoint of 1,000 jobs: the time from a list answer that changes
// every job to the page laid out, and the DOM mutations of an answer that changes nothing.
{
  const tab = await browser.newPage()
  await tab.goto(`${server.origin}/poll-css`)
  const result = await tab.evaluate(async (count) => {
    const list = (percent) =>
      Array.from({ length: count }, (_, i) => ({
        id: `j${i}`,
        title: `Job ${i}`,
        status: 'running',
        progress: percent,
      }))
    let body = JSON.stringify(list(10))
    let requests = 0
    const tray = new window.ProgressPolling.Tray({
      listUrl: '/bench-list/',
      listInterval: 1e9,
      fetch: async () => {
        requests++
        return new Response(body, { headers: { 'content-type': 'application/json' } })
      },
    })
    const settled = async (check) => {
      while (!check()) await new Promise((resolve) => setTimeout(resolve, 0))
      document.body.getBoundingClientRect()
    }
    await settled(() => tray.jobs.length === count && tray.jobs.every((job) => job.snapshot?.percent === 10))
    const times = []
    for (let round = 0; round < 5; round++) {
      const percent = 20 + round
      body = JSON.stringify(list(percent))
      const start = performance.now()
      tray.refresh()
      await settled(() => tray.jobs.every((job) => job.snapshot?.percent === percent))
      times.push(performance.now() - start)
    }
    let mutations = 0
    const observer = new MutationObserver((records) => {
      mutations += records.length
    })
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
    const before = requests
    tray.refresh()
    await new Promise((resolve) => setTimeout(resolve, 300))
    observer.disconnect()
    const answered = requests - before
    tray.destroy()
    return { times, mutations, answered }
  }, WIDGETS)
  console.log(
    `\n(g) a tray of ${WIDGETS} listed jobs: one list answer that changes every job, to the page laid out: ` +
      `${fixed(median(result.times), 0)} ms (median of 5); an unchanged answer (${result.answered} list request): ${result.mutations} DOM mutations`,
  )
  await tab.close()
}

// (h) One job in 1, 3 and 5 tabs of one browser (the pages of one context share their
// channels and Web Locks): the requests of a minute (10 s with --quick); then the time from
// the polling tab's closing to the next request, another tab's.
{
  const seconds = quick ? 10 : 60
  const open = async (context, job, debug = '') => {
    const tab = await context.newPage()
    await tab.goto(`${server.origin}/poll`)
    await tab.evaluate(
      ([job, debug]) => new window.ProgressPolling('all', `/jobs/${job}/`, { debug: !!debug }),
      [job, debug],
    )
    return tab
  }
  const counts = await Promise.all(
    [1, 3, 5].map(async (n) => {
      const context = await browser.newContext()
      const job = `sixty-bench-tabs-${n}`
      for (let i = 0; i < n; i++) await open(context, job)
      const from = server.requests(job)
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
      const count = ((server.requests(job) - from) * 60) / seconds
      await context.close()
      return count
    }),
  )
  const handOvers = []
  for (let round = 0; round < 5; round++) {
    const context = await browser.newContext()
    const job = `sixty-bench-handover-${round}`
    let leader
    for (let i = 0; i < 3; i++) {
      const tab = await open(context, job, 'debug')
      tab.on('console', (message) => {
        if (message.text().includes('this tab polls the job')) leader = tab
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    const closedAt = Date.now()
    await leader?.close()
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    const next = server.times(job).find((t) => t > closedAt)
    if (next) handOvers.push(next - closedAt)
    await context.close()
  }
  console.log(`\n(h) one job (pollInterval 500 ms) open in 1, 3 and 5 tabs of one browser`)
  console.log(`requests per minute        ${counts.map((n) => fixed(n, 0)).join(', ')}`)
  console.log(
    `hand-over                  the next request ${fixed(median(handOvers), 0)} ms after the polling tab closed (median of ${handOvers.length}; ${handOvers.join(', ')} ms)`,
  )
}

// (d) JS heap before and after 2,000 create/destroy cycles.
{
  const tab = await browser.newPage()
  await tab.goto(`${server.origin}/poll`)
  const cdp = await tab.context().newCDPSession(tab)
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage')
    return (await cdp.send('Runtime.getHeapUsage')).usedSize
  }
  const cycles = () =>
    tab.evaluate(async () => {
      const box = document.getElementById('all')
      for (let i = 0; i < 2000; i++) {
        const widget = new window.ProgressPolling(box, '/jobs/state-running-memory/', { pollInterval: 100000 })
        if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 0))
        widget.destroy()
      }
      await new Promise((resolve) => setTimeout(resolve, 500))
    })
  const kb = (bytes) => `${fixed(bytes / 1024, 0)} KB`
  const before = await heap()
  await cycles()
  const first = await heap()
  await cycles()
  const second = await heap()
  console.log(
    `\n(d) JS heap: ${kb(before)} before, ${kb(first)} after 2,000 create/destroy cycles (${first >= before ? '+' : ''}${kb(first - before)}),` +
      ` ${kb(second)} after 2,000 more (${second >= first ? '+' : ''}${kb(second - first)}: what a leak would add again)`,
  )
  await tab.close()
}

await browser.close()
server.server.close()

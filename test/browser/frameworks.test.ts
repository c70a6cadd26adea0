// The React and Vue bindings in Chromium: small apps bundled from the built files (as a
// bundler would from the package), against the real local job server.
// With no Chromium, they are skipped with a notice, except under CI=true where that fails.
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium, LAUNCH_ARGS } from './chromium.mjs'
import { startServer } from './server.mjs'

const executablePath = findChromium()
if (!executablePath) {
  if (process.env.CI === 'true')
    throw new Error('No Chromium found for the browser tests (set CHROME_PATH, or install chromium)')
  console.warn('\n[browser tests] skipped: no Chromium found. Set CHROME_PATH or install chromium to run them.\n')
}

const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))
/** `progress-polling` and its subpaths, as the package's exports map points them. */
const pkg: Plugin = {
  name: 'progress-polling',
  setup(b) {
    b.onResolve({ filter: /^progress-polling(\/react|\/vue)?$/ }, ({ path }) => ({
      path: dist(path === 'progress-polling' ? 'progress-polling.js' : `${path.split('/')[1]}.js`),
    }))
  },
}

// Each app mounts one scenario at a time: `app.mount(kind)`, `app.start(id)`, `app.unmount()`.
const REACT_APP = `
import { createElement as h, StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { useJob } from 'progress-polling/react'
const options = { pollInterval: 100 }
function Job({ source, options: own = options }) {
  const { snapshot, error } = useJob(source, own)
  return h('p', { className: 'job' }, snapshot ? snapshot.status + ' ' + snapshot.percent : 'none', error ? ' ' + error.name : '')
}
let setId
function Starter() {
  const [id, set] = useState(null)
  setId = set
  return h(Job, { source: id, options: { url: '/jobs/{id}/', pollInterval: 100 } })
}
let root
window.app = {
  mount(kind, name) {
    root = createRoot(document.getElementById('root'))
    const job = h(Job, { source: '/jobs/' + name + '/' })
    root.render(kind === 'starter' ? h(Starter) : kind === 'strict' ? h(StrictMode, null, job) : kind === 'two' ? h('div', null, job, h(Job, { source: '/jobs/' + name + '/' })) : job)
  },
  start: (id) => setId(id),
  unmount: () => root.unmount(),
}`

const VUE_APP = `
import { createApp, defineComponent, h, ref } from 'vue'
import { useJob } from 'progress-polling/vue'
const Job = defineComponent({
  props: { source: { type: null, default: null }, url: { type: String, default: undefined } },
  setup(props) {
    const { snapshot, error } = useJob(() => props.source, { pollInterval: 100, ...(props.url ? { url: props.url } : {}) })
    return () => h('p', { class: 'job' }, (snapshot.value ? snapshot.value.status + ' ' + snapshot.value.percent : 'none') + (error.value ? ' ' + error.value.name : ''))
  },
})
const id = ref(null)
let app
window.app = {
  mount(kind, name) {
    const source = '/jobs/' + name + '/'
    app = createApp({
      render: () => kind === 'starter' ? h(Job, { source: id.value, url: '/jobs/{id}/' }) : kind === 'two' ? h('div', [h(Job, { source }), h(Job, { source })]) : h(Job, { source }),
    })
    app.mount('#root')
  },
  start: (value) => { id.value = value },
  unmount: () => app.unmount(),
}`

async function bundle(source: string, nodeEnv: string) {
  const { outputFiles } = await build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'esm',
    write: false,
    plugins: [pkg],
    define: {
      'process.env.NODE_ENV': JSON.stringify(nodeEnv),
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    logLevel: 'error',
  })
  return (outputFiles[0] as { text: string }).text
}

const page = (script: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>app</title></head><body><div id="root"></div><script type="module" src="${script}"></script></body></html>`

let browser: Browser
let server: Awaited<ReturnType<typeof startServer>>

beforeAll(async () => {
  if (!executablePath) return
  // React in development, where StrictMode mounts every component twice.
  const [react, vue] = await Promise.all([bundle(REACT_APP, 'development'), bundle(VUE_APP, 'production')])
  server = await startServer({
    pages: {
      '/react': { body: page('/react.js') },
      '/vue': { body: page('/vue.js') },
      '/react.js': { body: react, type: 'text/javascript' },
      '/vue.js': { body: vue, type: 'text/javascript' },
    },
  })
  browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS })
}, 60_000)
afterAll(async () => {
  await browser?.close()
  server?.server.close()
})

async function open(path: string): Promise<Page> {
  const page = await browser.newPage()
  page.on('pageerror', (error) => {
    throw error
  })
  await page.goto(`${server.origin}${path}`)
  await page.waitForFunction(() => 'app' in window)
  return page
}
const texts = (page: Page) => page.$$eval('p.job', (all) => all.map((p) => p.textContent))
const call = (page: Page, method: string, ...args: string[]) =>
  page.evaluate(
    ([method, args]) =>
      (window as unknown as Record<string, Record<string, (...a: string[]) => void>>).app?.[method]?.(...args),
    [method, args] as const,
  )

describe.skipIf(!executablePath)('useJob in Chromium', { timeout: 20_000 }, () => {
  for (const framework of ['react', 'vue'] as const) {
    describe(framework, () => {
      it('follows a job to its end', async () => {
        const p = await open(`/${framework}`)
        await call(p, 'mount', 'one', `quick-${framework}-end`)
        await p.waitForFunction(() => document.querySelector('p.job')?.textContent === 'succeeded 100')
        const requests = server.requests(`quick-${framework}-end`)
        await p.waitForTimeout(400)
        expect(server.requests(`quick-${framework}-end`)).toBe(requests)
        await p.close()
      })

      it('waits with a null source, then follows the job of an id', async () => {
        const p = await open(`/${framework}`)
        await call(p, 'mount', 'starter', '')
        await p.waitForTimeout(300)
        expect(await texts(p)).toEqual(['none'])
        await call(p, 'start', `quick-${framework}-start`)
        await p.waitForFunction(() => document.querySelector('p.job')?.textContent === 'succeeded 100')
        expect(server.requests(`quick-${framework}-start`)).toBe(4)
        await p.close()
      })

      it('sends no request once unmounted mid-job', async () => {
        const p = await open(`/${framework}`)
        const name = `state-running-${framework}-unmount`
        await call(p, 'mount', 'one', name)
        await p.waitForFunction(() => document.querySelector('p.job')?.textContent === 'running 42')
        await call(p, 'unmount')
        await p.waitForTimeout(50)
        const requests = server.requests(name)
        await p.waitForTimeout(500)
        expect(server.requests(name)).toBe(requests)
        await p.close()
      })

      it('two components on one job: one request stream', async () => {
        const p = await open(`/${framework}`)
        const name = `state-running-${framework}-two`
        await call(p, 'mount', 'two', name)
        await p.waitForFunction(() => document.querySelectorAll('p.job').length === 2)
        const started = Date.now()
        await p.waitForTimeout(1000)
        const elapsed = Date.now() - started
        expect(await texts(p)).toEqual(['running 42', 'running 42'])
        // One stream at 100 ms: at most one request per interval (two streams would be twice that).
        expect(server.requests(name)).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2)
        await p.close()
      })
    })
  }

  it('react: StrictMode (development) mounts twice and still sends one request stream', async () => {
    const p = await open('/react')
    const name = 'state-running-react-strict'
    await call(p, 'mount', 'strict', name)
    await p.waitForFunction(() => document.querySelector('p.job')?.textContent === 'running 42')
    expect(server.requests(name)).toBe(1)
    const started = Date.now()
    await p.waitForTimeout(1000)
    expect(server.requests(name)).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 100) + 2)
    await p.close()
  })
})

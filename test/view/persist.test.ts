// @vitest-environment happy-dom
// Jobs that survive a reload: saved in an injected storage area, restored by a "new page"
// (the page's store emptied, as a reload leaves it), reported once when they finished away.
import { HttpResponse, http } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
// Loaded up front: fake timers do not wait for a module to load.
import '../../src/core/transport/shared'
import { type PollJobOptions, resolveOptions, splitOptions } from '../../src/core/options'
import { remove as removeStored } from '../../src/env/storage'
import { formatNames } from '../../src/formats/index'
import { PollingLimitError, ProgressPolling, ProgressTray, pollJob } from '../../src/index'
import { createStore, pageStore } from '../../src/store/job-store'
import { persisting, restored, savedKey } from '../../src/store/persist'
import { follow } from '../../src/store/poll-job'
import { fakeChannels, fakeLocks, fakeStorage } from '../helpers/env'
import { defaultBody, ORIGIN, serveJob, server, withJobServer } from '../helpers/job-server'

withJobServer()
const URL = `${ORIGIN}/jobs/p/`
const KEY = `progress-polling:1:${URL}`
afterEach(() => {
  document.body.innerHTML = ''
  ProgressPolling.defaults.headers = {}
})

const box = () => document.body.appendChild(document.createElement('div'))
const stored = (data: Map<string, string>, key = KEY) => JSON.parse(data.get(key) ?? 'null')
/** A reload: every job of the page is gone, nothing is stopped on purpose. */
const reload = () => {
  for (const job of pageStore.list()) job.stop()
  document.body.innerHTML = ''
}
/** A job at 10 % more each second, done at 10 s. */
const tenSeconds = (path = '/jobs/p/') =>
  serveJob(path, [
    () =>
      Response.json(
        Date.now() >= 10_000
          ? defaultBody('completed', 100)
          : defaultBody('in_progress', 10 * Math.floor(Date.now() / 1000), { current_step: 'indexing' }),
      ),
  ])

describe('persistence', () => {
  it('saves the spec, start and last status, percent and step under one key per job: never headers or functions', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    tenSeconds()
    new ProgressPolling(box(), URL, {
      persist: true,
      title: 'Import',
      headers: { Authorization: 'Bearer secret-token' },
      parse: () => undefined,
      pollInterval: 1000,
    })
    // Saved at once: a reload before the first answer keeps it.
    expect(stored(data)).toMatchObject({
      snapshot: { status: 'pending', percent: null },
      startedAt: 0,
      title: 'Import',
    })
    await vi.advanceTimersByTimeAsync(3_100)
    const entry = stored(data)
    expect(entry).toMatchObject({
      spec: { url: URL, pollInterval: 1000, persist: true, persistFor: 1_800_000 },
      startedAt: 0,
      savedAt: 3_000,
      snapshot: { status: 'running', percent: 30 },
    })
    expect(data.get(KEY)).not.toMatch(/secret-token|Authorization|parse/)
    expect([...data.keys()]).toEqual([KEY])
    await vi.advanceTimersByTimeAsync(8_000)
    // Ended in a page that watched it: nothing to restore, nothing to report.
    expect(data.size).toBe(0)
  })

  it('restores a job after a reload: its last snapshot at once, its limits from its first start, headers from the defaults', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    const served = tenSeconds()
    new ProgressPolling(box(), URL, { persist: true, pollInterval: 1000, timeout: 8_000 })
    await vi.advanceTimersByTimeAsync(5_100)
    reload()
    expect(data.has(KEY)).toBe(true)
    await vi.advanceTimersByTimeAsync(2_000)
    ProgressPolling.defaults.headers = { 'X-Token': 'from-the-defaults' }
    const onError = vi.fn()
    const [job] = ProgressPolling.restore()
    expect(job?.url).toBe(URL)
    expect(job?.snapshot).toMatchObject({ status: 'running', percent: 50 })
    job?.done.catch(onError)
    const widget = new ProgressPolling(box(), job?.url as string)
    expect(widget.snapshot).toBe(job?.snapshot)
    await vi.advanceTimersByTimeAsync(100)
    expect(served.requests.at(-1)?.headers.get('x-token')).toBe('from-the-defaults')
    expect(job?.snapshot?.percent).toBe(70)
    // 8 s from the job's first start, not from the reload.
    await vi.advanceTimersByTimeAsync(1_000)
    expect(onError).toHaveBeenCalledWith(expect.any(PollingLimitError))
    // A limit ends it for good: not restored again.
    expect(data.has(KEY)).toBe(false)
  })

  it('restores one job by the key it was saved under', async () => {
    vi.useFakeTimers({ now: 0 })
    fakeStorage()
    tenSeconds()
    tenSeconds('/jobs/other/')
    pollJob(URL, { persist: 'video-analysis' })
    pollJob(`${ORIGIN}/jobs/other/`, { persist: true })
    await vi.advanceTimersByTimeAsync(1_100)
    reload()
    expect(ProgressPolling.restore({ key: 'video-analysis' }).map((job) => job.url)).toEqual([URL])
    expect(ProgressPolling.restore({ key: 'nothing' })).toEqual([])
    expect(() => ProgressPolling.restore({ key: '' })).toThrow(/restore\(\{ key \}\) takes the key/)
  })

  it('sweeps expired entries, entries of another version and corrupt ones', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    tenSeconds()
    new ProgressPolling(box(), URL, { persist: true, persistFor: 60_000 })
    await vi.advanceTimersByTimeAsync(100)
    reload()
    data.set('progress-polling:0:/jobs/old/', '{"url":"/jobs/old/"}')
    data.set('progress-polling:1:broken', '{not json')
    data.set('progress-polling:1:wrong', '{"spec":{"url":"/x/"},"savedAt":"yesterday"}')
    data.set('someone-else', 'kept')
    await vi.advanceTimersByTimeAsync(61_000)
    expect(ProgressPolling.restore()).toEqual([])
    expect([...data.keys()]).toEqual(['someone-else'])
  })

  it('restores an edited entry as far as it reads as a job under way, and keeps one saved for ever', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    serveJob('/jobs/p/', [{ wait: 60_000, send: defaultBody('in_progress', 10) }])
    serveJob('/o/', [{ wait: 60_000, send: defaultBody('in_progress', 10) }])
    const spec = { url: URL, persistFor: null, pollInterval: 'fast', format: 'auto' }
    data.set(KEY, JSON.stringify({ spec, savedAt: 0, startedAt: 0, snapshot: { status: 'succeeded', percent: 500 } }))
    data.set(
      'progress-polling:1:other',
      JSON.stringify({
        spec: { url: '/o/', persistFor: null },
        savedAt: 0,
        startedAt: 0,
        snapshot: { status: 'running', percent: 20, step: 7 },
      }),
    )
    await vi.advanceTimersByTimeAsync(1e9)
    // `pollInterval: 'fast'` cannot be read: that entry goes; the other, kept for ever, comes back.
    const jobs = ProgressPolling.restore()
    expect(jobs.map((job) => job.url)).toEqual(['/o/'])
    expect(jobs[0]?.snapshot).toMatchObject({ status: 'running', percent: 20, step: undefined, terminal: false })
    expect(data.has(KEY)).toBe(false)
    data.set(
      KEY,
      JSON.stringify({
        spec: { url: URL, persistFor: null },
        savedAt: 0,
        startedAt: 0,
        snapshot: { status: 'succeeded', percent: 500 },
      }),
    )
    reload()
    const [job] = ProgressPolling.restore({ key: URL })
    expect(job?.snapshot).toMatchObject({ status: 'pending', percent: null, terminal: false })
  })

  it('keeps a job that still changes: its expiry counts from its last save', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    serveJob('/jobs/p/', [() => Response.json(defaultBody('in_progress', Math.floor(Date.now() / 20_000)))])
    new ProgressPolling(box(), URL, { persist: true, persistFor: 30_000 })
    await vi.advanceTimersByTimeAsync(70_000)
    reload()
    expect(stored(data).savedAt).toBe(60_000)
    expect(ProgressPolling.restore()).toHaveLength(1)
  })

  it('polls on when storage is disabled or absent, and makes room when it is full', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data, mode } = fakeStorage()
    tenSeconds()
    mode.disabled = true
    const job = pollJob(URL, { persist: true, pollInterval: 1000 })
    await vi.advanceTimersByTimeAsync(100)
    expect(ProgressPolling.restore()).toEqual([])
    ProgressPolling.clearSaved()
    await vi.advanceTimersByTimeAsync(11_000)
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
  })

  it('makes room when storage is full by removing our oldest entry, then gives up saving, polling on', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data, mode } = fakeStorage()
    const entry = (savedAt: number) =>
      JSON.stringify({
        spec: { url: `/${savedAt}/`, persistFor: 1e12 },
        savedAt,
        startedAt: 0,
        snapshot: { status: 'running' },
      })
    data.set('someone-else', 'kept')
    data.set('progress-polling:1:newer', entry(2))
    data.set('progress-polling:1:oldest', entry(1))
    mode.limit = 3
    tenSeconds()
    pollJob(URL, { persist: true })
    await vi.advanceTimersByTimeAsync(100)
    expect([...data.keys()].sort()).toEqual([KEY, 'progress-polling:1:newer', 'someone-else'])
    mode.full = true
    tenSeconds('/jobs/q/')
    const job = pollJob(`${ORIGIN}/jobs/q/`, { persist: true })
    await vi.advanceTimersByTimeAsync(11_000)
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(data.has('someone-else')).toBe(true)
  })

  it('forgets a job stopped on purpose, keeps one whose page was torn down or whose connection gave up', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    serveJob('/jobs/p/', [defaultBody('in_progress', 10), { networkError: true }])
    const widget = new ProgressPolling(box(), URL, { persist: true, retry: 2 })
    await vi.advanceTimersByTimeAsync(100)
    widget.destroy()
    expect(data.has(KEY)).toBe(true)
    // A reload's aborted request, or the network down: the job may well still run.
    const job = pollJob(URL, { persist: true, retry: 2 })
    await vi.advanceTimersByTimeAsync(10_000)
    await expect(job.done).rejects.toThrow()
    expect(data.has(KEY)).toBe(true)
    const again = pollJob(URL, { persist: true })
    await vi.advanceTimersByTimeAsync(10)
    again.stop()
    await vi.advanceTimersByTimeAsync(10)
    expect(data.has(KEY)).toBe(false)
  })

  it('forgets everything with clearSaved(), and saves none of the jobs that go on', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    tenSeconds()
    new ProgressPolling(box(), URL, { persist: true })
    data.set('progress-polling:1:elsewhere', '{}')
    await vi.advanceTimersByTimeAsync(1_100)
    ProgressPolling.clearSaved()
    expect(data.size).toBe(0)
    await vi.advanceTimersByTimeAsync(3_000)
    expect(data.size).toBe(0)
  })

  it('checks its options', () => {
    expect(() => pollJob(URL, { persist: '' })).toThrow(
      '`persist` option must be true, or the key to save the job under',
    )
    expect(() => pollJob(URL, { persist: 1 as never })).toThrow('`persist` option must be a boolean or a string, got 1')
    expect(() => pollJob(URL, { persistFor: 0 })).toThrow(RangeError)
    expect(() => pollJob(URL, { shareAcrossTabs: 'yes' as never })).toThrow(
      '`shareAcrossTabs` option must be a boolean',
    )
  })
})

describe('finished while away', () => {
  it('is reported once, with the snapshot, after the entry is removed; a job seen running is not', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    tenSeconds()
    new ProgressPolling(box(), URL, { persist: true, title: 'Import' })
    await vi.advanceTimersByTimeAsync(2_100)
    reload()
    await vi.advanceTimersByTimeAsync(20_000)
    const reports: unknown[] = []
    document.addEventListener('progress-polling:finished-away', (event) => {
      // Marked before it is said: a reload now would not say it again.
      expect(data.has(KEY)).toBe(false)
      reports.push((event as CustomEvent).detail)
    })
    const [job] = ProgressPolling.restore()
    await vi.advanceTimersByTimeAsync(100)
    await expect(job?.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(reports).toEqual([
      { snapshot: expect.objectContaining({ status: 'succeeded', percent: 100 }), url: URL, key: URL, title: 'Import' },
    ])
    reload()
    expect(ProgressPolling.restore()).toEqual([])
    await vi.advanceTimersByTimeAsync(100)
    expect(reports).toHaveLength(1)
  })

  it('is not reported for a restored job this page saw running before it ended', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    tenSeconds()
    pollJob(URL, { persist: true })
    await vi.advanceTimersByTimeAsync(2_100)
    reload()
    const away = vi.fn()
    document.addEventListener('progress-polling:finished-away', away)
    const [job] = ProgressPolling.restore()
    await vi.advanceTimersByTimeAsync(10_000)
    await expect(job?.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(away).not.toHaveBeenCalled()
    expect(data.size).toBe(0)
    document.removeEventListener('progress-polling:finished-away', away)
  })

  it('is reported by one tab of two that restored it, whether they share or each poll, however slowly locks are granted', async () => {
    for (const [shareAcrossTabs, grantAfter] of [
      [true, undefined],
      [true, 5],
      [false, undefined],
      [false, 5],
    ] as const) {
      vi.useFakeTimers({ now: 0 })
      const net = fakeChannels()
      fakeLocks({ grantAfter })
      const { data } = fakeStorage()
      tenSeconds()
      const options: PollJobOptions = { persist: true, shareAcrossTabs }
      const spec = splitOptions(URL, resolveOptions(options, formatNames()))
      const reports: string[] = []
      const tabs = ['a', 'b'].map((name) => {
        net.tab = name
        const store = createStore()
        persisting(store, () => reports.push(name))
        return { store, name }
      })
      // Both tabs saved it before the browser closed; both restore it now, ten seconds later.
      const first = createStore()
      persisting(first)
      follow(first, spec, {})
      await vi.advanceTimersByTimeAsync(100)
      first.stopAll()
      expect(data.has(KEY)).toBe(true)
      await vi.advanceTimersByTimeAsync(10_000)
      const init = {
        snapshot: { status: 'running' as const, terminal: false, percent: 0, raw: undefined },
        startedAt: 0,
      }
      for (const { store, name } of tabs) {
        net.tab = name
        restored.add(savedKey(spec.spec))
        follow(store, spec, {}, init)
      }
      await vi.advanceTimersByTimeAsync(1_000)
      expect(reports).toHaveLength(1)
      expect(data.has(KEY)).toBe(false)
      vi.useRealTimers()
      removeStored(KEY)
    }
  })

  it('is shown once in the tray that restores it, with its result link, until it is closed', async () => {
    vi.useFakeTimers({ now: 0 })
    fakeStorage()
    tenSeconds()
    const tray = new ProgressTray({ persist: true, resultUrl: '/results/{id}/', leaveAfter: 1_000 })
    tray.add(URL, { title: 'Import' })
    await vi.advanceTimersByTimeAsync(2_100)
    // The page goes: the tray is torn down, its saved job kept.
    tray.destroy()
    reload()
    await vi.advanceTimersByTimeAsync(20_000)
    const next = new ProgressTray({ persist: true, resultUrl: '/results/{id}/', leaveAfter: 1_000 })
    const away = vi.fn()
    next.root.addEventListener('progress-polling:finished-away', away)
    expect(next.jobs.map((job) => job.url)).toEqual([URL])
    const row = next.root.querySelector('.pp-tray-row') as HTMLElement
    expect(row.querySelector('.pp-title')?.textContent).toBe('Import')
    await vi.advanceTimersByTimeAsync(100)
    expect(away).toHaveBeenCalledTimes(1)
    expect(row.querySelector('.pp-tray-away')?.textContent).toBe('Finished while you were away')
    expect(row.querySelector<HTMLAnchorElement>('a.pp-tray-result')?.getAttribute('href')).toBe('/results/abc-123/')
    // It stays past leaveAfter: nobody saw it end.
    await vi.advanceTimersByTimeAsync(10_000)
    expect(next.jobs).toHaveLength(1)
    ;(row.querySelector('.pp-tray-close') as HTMLButtonElement).click()
    expect(next.jobs).toHaveLength(0)
    next.destroy()
  })

  it('saves the jobs added to a saving tray, not those its list endpoint lists', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    server.use(
      http.get(`${ORIGIN}/lists/p/`, () => HttpResponse.json([{ id: 'listed', status: 'running', progress: 5 }])),
    )
    serveJob('/jobs/listed/', [defaultBody('in_progress', 5)])
    tenSeconds()
    const tray = new ProgressTray({ persist: true, listUrl: `${ORIGIN}/lists/p/`, url: `${ORIGIN}/jobs/{id}/` })
    tray.add(URL, { title: 'Import' })
    await vi.advanceTimersByTimeAsync(1_100)
    expect(tray.jobs).toHaveLength(2)
    expect([...data.keys()]).toEqual([KEY])
    tray.destroy()
  })

  it('restores into the page tray, and stops a restored job when its row is closed', async () => {
    vi.useFakeTimers({ now: 0 })
    const { data } = fakeStorage()
    const served = tenSeconds()
    pollJob(URL, { persist: true, pollInterval: 1000 })
    await vi.advanceTimersByTimeAsync(1_100)
    reload()
    const tray = new ProgressTray({ title: 'Exports' })
    const [job] = ProgressPolling.restore()
    expect(tray.jobs.map((j) => j.url)).toEqual([URL])
    expect(job?.snapshot).toBe(tray.jobs[0]?.snapshot)
    await vi.advanceTimersByTimeAsync(100)
    ;(tray.root.querySelector('.pp-tray-close') as HTMLButtonElement | null)?.click()
    tray.remove(tray.jobs[0] as ProgressPolling)
    await expect(job?.done).rejects.toThrow()
    const count = served.requests.length
    await vi.advanceTimersByTimeAsync(5_000)
    expect(served.requests).toHaveLength(count)
    expect(data.has(KEY)).toBe(false)
    tray.destroy()
  })

  it('restores into no tray with tray: null, though the page has one', async () => {
    vi.useFakeTimers({ now: 0 })
    fakeStorage()
    tenSeconds()
    pollJob(URL, { persist: true })
    await vi.advanceTimersByTimeAsync(1_100)
    reload()
    const tray = new ProgressTray()
    const [job] = ProgressPolling.restore({ tray: null })
    expect(job?.url).toBe(URL)
    expect(tray.jobs).toEqual([])
    tray.destroy()
  })
})

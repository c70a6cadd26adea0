// One poller per browser: "tabs" are stores of their own in one process, whose channels and
// Web Locks are the fake environment's (test/helpers/env.ts), as the tabs of one browser.
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { type PollJobOptions, resolveOptions, splitOptions } from '../../src/core/options'
// Loaded up front: fake timers do not wait for a module to load.
import { PATIENCE } from '../../src/core/transport/shared'
import '../../src/core/transport/sse'
import { openChannel } from '../../src/env/channel'
import { PollingStoppedError } from '../../src/errors'
import { formatNames } from '../../src/formats/index'
import type { JobSnapshot } from '../../src/snapshot/types'
import { createStore } from '../../src/store/job-store'
import { followList } from '../../src/store/list'
import { follow } from '../../src/store/poll-job'
import { fakeChannels, fakeLocks } from '../helpers/env'
import { defaultBody, gaps, ORIGIN, serveJob, server, serveStream, withJobServer } from '../helpers/job-server'

withJobServer()
const URL = `${ORIGIN}/jobs/tabs/`

/** A 60-second job that moves every 600 ms. */
const sixtySeconds = () =>
  serveJob('/jobs/tabs/', [
    () =>
      Response.json(
        Date.now() >= 60_000 ? defaultBody('completed', 100) : defaultBody('in_progress', Math.floor(Date.now() / 600)),
      ),
  ])

let locks: ReturnType<typeof fakeLocks>

/** A browser whose tabs each follow the job with their own callbacks. */
function browser() {
  const net = fakeChannels()
  locks = fakeLocks()
  const tab = (name: string, options: PollJobOptions = {}) => {
    net.tab = name
    const store = createStore()
    const seen = { start: 0, complete: 0, errors: [] as Error[], percents: [] as (number | null)[] }
    const o = resolveOptions(options, formatNames())
    const job = follow(store, splitOptions(URL, o), {
      onStart: () => seen.start++,
      onProgress: (s) => seen.percents.push(s.percent),
      onComplete: () => seen.complete++,
      onError: (error) => seen.errors.push(error),
    })
    return { job, seen, close: () => store.stopAll() }
  }
  return { net, tab }
}

describe('one poller per browser', () => {
  it('polls once for 1, 3 or 5 tabs, which all show the same snapshots and end once each', async () => {
    const counts: number[] = []
    for (const n of [1, 3, 5]) {
      vi.useFakeTimers({ now: 0 })
      const served = sixtySeconds()
      const { tab } = browser()
      const tabs = Array.from({ length: n }, (_, i) => tab(`tab ${i}`))
      await vi.advanceTimersByTimeAsync(61_000)
      counts.push(served.requests.length)
      expect(served.maxInFlight).toBe(1)
      for (const t of tabs) {
        expect(t.seen).toMatchObject({ start: 1, complete: 1, errors: [] })
        expect(t.job.snapshot).toEqual(tabs[0]?.job.snapshot)
        // Every snapshot the poller read, in order, once.
        expect(t.seen.percents).toEqual(tabs[0]?.seen.percents)
      }
      expect(tabs[0]?.seen.percents.length).toBeGreaterThan(90)
      vi.useRealTimers()
    }
    // The same requests whatever the number of tabs: 121, as one tab alone sends.
    expect(counts).toEqual([121, 121, 121])
  })

  it('polls in every tab with shareAcrossTabs: false', async () => {
    vi.useFakeTimers({ now: 0 })
    const served = sixtySeconds()
    const { tab } = browser()
    for (const name of ['a', 'b', 'c']) tab(name, { shareAcrossTabs: false })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(served.requests).toHaveLength(3 * 21)
  })

  it('gives a new tab the current snapshot at once, without a request', async () => {
    vi.useFakeTimers({ now: 0 })
    const served = sixtySeconds()
    const { tab } = browser()
    const a = tab('a')
    await vi.advanceTimersByTimeAsync(6_100)
    const before = served.requests.length
    const late = tab('late')
    await vi.advanceTimersByTimeAsync(5)
    expect(late.job.snapshot).toEqual(a.job.snapshot)
    expect(late.job.snapshot?.percent).toBe(10)
    expect(late.seen.start).toBe(1)
    expect(served.requests).toHaveLength(before)
  })

  it('hands over when the polling tab closes: from the last snapshot, within an interval, no second start or end', async () => {
    vi.useFakeTimers({ now: 0 })
    const served = sixtySeconds()
    const { tab } = browser()
    const a = tab('a')
    const b = tab('b')
    const c = tab('c')
    await vi.advanceTimersByTimeAsync(10_100)
    const last = b.job.snapshot as JobSnapshot
    a.close()
    await expect(a.job.done).rejects.toBeInstanceOf(PollingStoppedError)
    await vi.advanceTimersByTimeAsync(50_900)
    // Never more than an interval (and a request) without a request, never two at once.
    expect(Math.max(...gaps(served.times))).toBeLessThanOrEqual(501)
    expect(served.maxInFlight).toBe(1)
    expect(served.requests.length).toBeLessThanOrEqual(122)
    for (const t of [b, c]) {
      expect(t.seen).toMatchObject({ start: 1, complete: 1, errors: [] })
      // The last snapshot before the hand-over is not shown twice.
      expect(t.seen.percents.filter((p) => p === last.percent)).toHaveLength(1)
    }
    expect(c.seen.percents).toEqual(b.seen.percents)
  })

  it('leaves no timer, channel or lock once every tab stopped, ended or not', async () => {
    vi.useFakeTimers({ now: 0 })
    sixtySeconds()
    const { net, tab } = browser()
    const tabs = ['a', 'b', 'c'].map((name) => tab(name))
    await vi.advanceTimersByTimeAsync(3_000)
    for (const t of tabs) t.close()
    await vi.advanceTimersByTimeAsync(10)
    expect(vi.getTimerCount()).toBe(0)
    expect(net.open(`progress-polling:1:job:${URL}`)).toBe(0)
    expect(locks.held()).toEqual([])
  })

  it('takes over from a tab that froze with the lock, and the frozen tab then follows', async () => {
    vi.useFakeTimers({ now: 0 })
    const served = sixtySeconds()
    const { net, tab } = browser()
    const a = tab('a')
    const b = tab('b')
    const c = tab('c')
    await vi.advanceTimersByTimeAsync(5_000)
    net.freeze('a')
    const frozenAt = served.requests.length
    await vi.advanceTimersByTimeAsync(PATIENCE + 1_000)
    // b or c took over: still one poller.
    const from = served.requests.length
    await vi.advanceTimersByTimeAsync(10_000)
    expect(served.requests.length - from).toBeLessThanOrEqual(21)
    expect(served.requests.length).toBeGreaterThan(frozenAt + 20)
    await vi.advanceTimersByTimeAsync(50_000)
    for (const t of [a, b, c]) expect(t.seen).toMatchObject({ start: 1, complete: 1, errors: [] })
  })

  it('streams once for every tab with transport: sse, and another tab opens the stream when the streaming one closes', async () => {
    vi.useFakeTimers({ now: 0 })
    const streams = serveStream('/jobs/tabs/')
    const { tab } = browser()
    const tabs = ['a', 'b', 'c'].map((name) => tab(name, { transport: 'sse' }))
    await vi.advanceTimersByTimeAsync(10)
    expect(streams).toHaveLength(1)
    streams[0]?.send(`id: 1\ndata: ${JSON.stringify(defaultBody('in_progress', 40))}\n\n`)
    await vi.advanceTimersByTimeAsync(10)
    for (const t of tabs) expect(t.job.snapshot?.percent).toBe(40)
    tabs[0]?.close()
    await vi.advanceTimersByTimeAsync(10)
    expect(streams).toHaveLength(2)
    streams[1]?.send(`data: ${JSON.stringify(defaultBody('completed', 100))}\n\n`)
    await vi.advanceTimersByTimeAsync(10)
    for (const t of tabs.slice(1)) expect(t.seen).toMatchObject({ start: 1, complete: 1, percents: [40, 100] })
  })

  it("polls a list endpoint once for every tab, and each tab's listed jobs follow it", async () => {
    vi.useFakeTimers({ now: 0 })
    const list = { requests: 0 }
    server.use(
      http.get(`${ORIGIN}/lists/tabs/`, () => {
        list.requests++
        const at = Math.min(100, Math.floor(Date.now() / 100))
        return HttpResponse.json([{ id: 'a', status: at < 100 ? 'running' : 'completed', progress: at }])
      }),
    )
    const net = fakeChannels()
    fakeLocks()
    const o = resolveOptions<PollJobOptions>({}, formatNames())
    const { spec, hooks } = splitOptions(`${ORIGIN}/lists/tabs/`, o)
    const tabs = ['a', 'b', 'c'].map((name) => {
      net.tab = name
      const store = createStore()
      const percents: (number | null)[] = []
      followList(store, {
        url: `${ORIGIN}/lists/tabs/`,
        interval: 1000,
        spec,
        hooks,
        template: `${ORIGIN}/jobs/{id}/`,
        onJob: (_, url) => store.get(url)?.subscribe(({ snapshot }) => percents.push(snapshot?.percent ?? null)),
        onState: () => {},
      })
      return percents
    })
    await vi.advanceTimersByTimeAsync(11_000)
    // One tab's requests: one a second, until nothing listed runs.
    expect(list.requests).toBeLessThanOrEqual(11)
    for (const percents of tabs) expect(percents.at(-1)).toBe(100)
    expect(new Set(tabs.map((percents) => percents.length)).size).toBe(1)
  })

  it("asks the polling tab to poll now when another tab refreshes (after answering the job's question)", async () => {
    vi.useFakeTimers({ now: 0 })
    const served = sixtySeconds()
    const { tab } = browser()
    tab('a', { pollInterval: 5_000 })
    const b = tab('b', { pollInterval: 5_000 })
    await vi.advanceTimersByTimeAsync(100)
    expect(served.requests).toHaveLength(1)
    b.job.refresh()
    await vi.advanceTimersByTimeAsync(100)
    expect(served.requests).toHaveLength(2)
  })

  it('never goes back to an older snapshot when two tabs poll for a moment, and shows only snapshots', async () => {
    vi.useFakeTimers({ now: 0 })
    sixtySeconds()
    const { net, tab } = browser()
    tab('a')
    const b = tab('b')
    await vi.advanceTimersByTimeAsync(6_100)
    const shown = b.job.snapshot
    net.tab = 'rogue'
    const rogue = openChannel(`progress-polling:1:job:${URL}`)
    rogue.post({ snapshot: { ...shown, percent: 1 }, at: 1, progressed: true })
    // Nor to what is not a snapshot: another library on the channel, a page's own messages.
    for (const snapshot of [{ status: 'done', terminal: true, percent: 100 }, { ...shown, percent: '50' }, 'x', null]) {
      rogue.post({ snapshot, at: Date.now() + 1e6 })
    }
    rogue.post(null)
    await vi.advanceTimersByTimeAsync(5)
    expect(b.job.snapshot).toBe(shown)
    rogue.close()
  })
})

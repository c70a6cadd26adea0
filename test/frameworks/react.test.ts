// @vitest-environment happy-dom
// useJob with the real React 19 and react-dom, against the simulated job server.

import { act, createElement as h, StrictMode, useState } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type UseJob, useJob } from '../../src/frameworks/react'
import type { PollJobOptions } from '../../src/index'
// Loaded up front: fake timers do not wait for a module to load.
import '../../src/store/persist'
import { fakeStorage } from '../helpers/env'
import { defaultBody, ORIGIN, serveAskingJob, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const URL = `${ORIGIN}/jobs/r/`
const STEPS = [
  defaultBody('pending', 0),
  defaultBody('in_progress', 40),
  defaultBody('in_progress', 70),
  defaultBody('completed', 100),
]
const roots: Root[] = []
afterEach(() => {
  for (const root of roots.splice(0)) act(() => root.unmount())
})

/** What a component shows of its job. */
const text = ({ snapshot, error }: UseJob) =>
  `${snapshot ? `${snapshot.status} ${snapshot.percent}` : 'none'}${error ? ` ${error.name}` : ''}`

function Job({ source, options = { pollInterval: 100 } }: { source: string | null; options?: PollJobOptions }) {
  return h('p', null, text(useJob(source, options)))
}

async function mount(element: ReturnType<typeof h>) {
  const container = document.createElement('div')
  const root = createRoot(container)
  roots.push(root)
  await act(async () => root.render(element))
  return { container, root, shown: () => [...container.querySelectorAll('p')].map((p) => p.textContent) }
}
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms))

describe('useJob (React)', () => {
  it('follows a job to its end, then sends nothing more', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/r/', STEPS)
    const { shown } = await mount(h(Job, { source: URL }))
    await advance(10)
    expect(shown()).toEqual(['pending 0'])
    await advance(150)
    expect(shown()).toEqual(['running 40'])
    await advance(500)
    expect(shown()).toEqual(['succeeded 100'])
    await advance(2000)
    expect(served.requests).toHaveLength(4)
  })

  it('gives the error of a job that failed', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/r/', [defaultBody('in_progress', 40), defaultBody('failed', 40, { error: 'Disk full' })])
    const { shown } = await mount(h(Job, { source: URL }))
    await advance(300)
    expect(shown()).toEqual(['failed 40 JobFailedError'])
  })

  it('waits with a null source, then follows the job once there is an id', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/7/', STEPS)
    let start: (id: string) => void = () => {}
    function Page() {
      const [id, setId] = useState<string | null>(null)
      start = setId
      return h(Job, { source: id, options: { url: `${ORIGIN}/jobs/{id}/`, pollInterval: 100 } })
    }
    const { shown } = await mount(h(Page))
    await advance(1000)
    expect(shown()).toEqual(['none'])
    expect(served.requests).toHaveLength(0)
    await act(async () => start('7'))
    await advance(1000)
    expect(shown()).toEqual(['succeeded 100'])
    expect(served.requests[0]?.url).toBe(`${ORIGIN}/jobs/7/`)
  })

  it('keeps a saved job saved when its component unmounts, for the next page; stop() forgets it', async () => {
    vi.useFakeTimers()
    const { data } = fakeStorage()
    serveJob('/jobs/r/', [defaultBody('in_progress', 40)])
    const options = { pollInterval: 100, persist: true }
    const { root } = await mount(h(Job, { source: URL, options }))
    await advance(250)
    act(() => root.unmount())
    await advance(100)
    expect(data.has(`progress-polling:1:${URL}`)).toBe(true)
    let controls: UseJob | undefined
    function Controls() {
      controls = useJob(URL, options)
      return null
    }
    await mount(h(Controls))
    await advance(250)
    act(() => controls?.stop())
    await advance(100)
    expect(data.has(`progress-polling:1:${URL}`)).toBe(false)
  })

  it('sends no request once the component is unmounted mid-job', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/r/', [defaultBody('in_progress', 40)])
    const { root } = await mount(h(Job, { source: URL }))
    await advance(250)
    const before = served.requests.length
    expect(before).toBeGreaterThan(1)
    act(() => root.unmount())
    await advance(2000)
    expect(served.requests).toHaveLength(before)
    expect(vi.getTimerCount()).toBe(0)
  })

  it.each([
    ['alone', (element: ReturnType<typeof h>) => element],
    ['under StrictMode (double mount)', (element: ReturnType<typeof h>) => h(StrictMode, null, element)],
    ['twice on one job', (element: ReturnType<typeof h>) => h('div', null, element, element)],
  ])('sends one request stream %s: 11 requests in 1 s at 100 ms', async (_, wrap) => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/r/', [defaultBody('in_progress', 40)])
    const { shown } = await mount(wrap(h(Job, { source: URL })))
    await advance(1005)
    expect(served.requests).toHaveLength(11)
    expect(served.maxInFlight).toBe(1)
    expect(new Set(shown())).toEqual(new Set(['running 40']))
  })

  it('does not restart for options that are new at every render, and calls the latest callbacks', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/r/', STEPS)
    const starts: number[] = []
    const progress: number[] = []
    let rerender: () => void = () => {}
    function Page() {
      const [n, setN] = useState(0)
      rerender = () => setN((v) => v + 1)
      return h(Job, {
        source: URL,
        options: { pollInterval: 100, onStart: () => starts.push(n), onProgress: () => progress.push(n) },
      })
    }
    await mount(h(Page))
    await advance(10)
    await act(async () => rerender())
    await act(async () => rerender())
    await advance(150)
    expect(starts).toEqual([0])
    expect(progress.at(-1)).toBe(2)
    await advance(1000)
    expect(served.requests).toHaveLength(4)
  })

  it('stop() and restart()', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/r/', [defaultBody('in_progress', 40)])
    let controls: UseJob | undefined
    function Controlled() {
      controls = useJob(URL, { pollInterval: 100 })
      return h('p', null, text(controls))
    }
    const { shown } = await mount(h(Controlled))
    await advance(150)
    act(() => controls?.stop())
    const stopped = served.requests.length
    await advance(1000)
    expect(served.requests).toHaveLength(stopped)
    expect(shown()).toEqual(['running 40'])
    act(() => controls?.restart())
    await advance(150)
    expect(served.requests.length).toBeGreaterThan(stopped)
  })

  it('follows the new job when the source changes, and leaves the old one', async () => {
    vi.useFakeTimers()
    const a = serveJob('/jobs/a/', [defaultBody('in_progress', 10)])
    const b = serveJob('/jobs/b/', [defaultBody('in_progress', 20)])
    let go: (source: string) => void = () => {}
    function Page() {
      const [source, setSource] = useState(`${ORIGIN}/jobs/a/`)
      go = setSource
      return h(Job, { source })
    }
    const { shown } = await mount(h(Page))
    await advance(150)
    expect(shown()).toEqual(['running 10'])
    await act(async () => go(`${ORIGIN}/jobs/b/`))
    const left = a.requests.length
    await advance(150)
    expect(shown()).toEqual(['running 20'])
    await advance(1000)
    expect(a.requests).toHaveLength(left)
    expect(b.requests.length).toBeGreaterThan(5)
  })

  it('answers, and retries a failed job: the error is cleared and the new run followed', async () => {
    const posted = serveAskingJob('/jobs/r/', '/jobs/r2/')
    serveJob('/jobs/r2/', [defaultBody('completed', 100)])
    let job: UseJob | undefined
    const options = { pollInterval: 20, respondUrl: `${ORIGIN}/jobs/r/respond/`, retryUrl: `${ORIGIN}/jobs/r/retry/` }
    function Actions() {
      job = useJob(URL, options)
      return h('p', null, text(job))
    }
    const { shown } = await mount(h(Actions))
    await vi.waitFor(() => expect(shown()).toEqual(['waiting null']))
    await act(async () => {
      await job?.respond('ok')
    })
    await vi.waitFor(() => expect(shown()).toEqual(['failed 40 JobFailedError']))
    await act(async () => {
      await job?.retry()
    })
    await vi.waitFor(() => expect(shown()).toEqual(['succeeded 100']))
    expect(posted).toEqual(['respond {"choice":"ok"}', 'retry '])
  })
})

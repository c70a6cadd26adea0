// @vitest-environment happy-dom
// useJob with the real Vue 3, against the simulated job server.

import { afterEach, describe, expect, it, vi } from 'vitest'
import { type App, createApp, defineComponent, effectScope, h, nextTick, ref } from 'vue'
import { useJob } from '../../src/frameworks/vue'
import type { PollJobOptions } from '../../src/index'
import { defaultBody, ORIGIN, serveAskingJob, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()

const URL = `${ORIGIN}/jobs/v/`
const STEPS = [defaultBody('pending', 0), defaultBody('in_progress', 40), defaultBody('completed', 100)]
const apps: App[] = []
afterEach(() => {
  for (const app of apps.splice(0)) app.unmount()
})

const Job = defineComponent({
  props: { source: { type: null, default: null }, options: { type: Object, default: () => ({ pollInterval: 100 }) } },
  setup(props) {
    // biome-ignore lint/correctness/useHookAtTopLevel: a Vue composable in setup(), not a React hook
    const { snapshot, error } = useJob(() => props.source, props.options as PollJobOptions)
    return () =>
      h(
        'p',
        `${snapshot.value ? `${snapshot.value.status} ${snapshot.value.percent}` : 'none'}${error.value ? ` ${error.value.name}` : ''}`,
      )
  },
})

function mount(render: () => ReturnType<typeof h>) {
  const container = document.createElement('div')
  const app = createApp({ render })
  apps.push(app)
  app.mount(container)
  return { app, shown: () => [...container.querySelectorAll('p')].map((p) => p.textContent) }
}
const advance = async (ms: number) => {
  await vi.advanceTimersByTimeAsync(ms)
  await nextTick()
}

describe('useJob (Vue)', () => {
  it('follows a job to its end as refs, then sends nothing more', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/v/', STEPS)
    const { shown } = mount(() => h(Job, { source: URL }))
    expect(shown()).toEqual(['none'])
    await advance(10)
    expect(shown()).toEqual(['pending 0'])
    await advance(300)
    expect(shown()).toEqual(['succeeded 100'])
    await advance(2000)
    expect(served.requests).toHaveLength(3)
  })

  it('gives the error of a job that failed', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/v/', [defaultBody('in_progress', 40), defaultBody('failed', 40, { error: 'Disk full' })])
    const { shown } = mount(() => h(Job, { source: URL }))
    await advance(300)
    expect(shown()).toEqual(['failed 40 JobFailedError'])
  })

  it('watches a ref source: null waits, an id follows, a new id leaves the old job', async () => {
    vi.useFakeTimers()
    const a = serveJob('/jobs/1/', [defaultBody('in_progress', 10)])
    const b = serveJob('/jobs/2/', [defaultBody('in_progress', 20)])
    const id = ref<string | null>(null)
    const { shown } = mount(() =>
      h(Job, { source: id.value, options: { url: `${ORIGIN}/jobs/{id}/`, pollInterval: 100 } }),
    )
    await advance(500)
    expect(shown()).toEqual(['none'])
    expect(a.requests).toHaveLength(0)
    id.value = '1'
    await advance(150)
    expect(shown()).toEqual(['running 10'])
    id.value = '2'
    await nextTick()
    const left = a.requests.length
    await advance(150)
    expect(shown()).toEqual(['running 20'])
    await advance(1000)
    expect(a.requests).toHaveLength(left)
    expect(b.requests.length).toBeGreaterThan(5)
  })

  it('sends no request once the component is unmounted mid-job', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/v/', [defaultBody('in_progress', 40)])
    const { app } = mount(() => h(Job, { source: URL }))
    await advance(250)
    const before = served.requests.length
    app.unmount()
    apps.length = 0
    await advance(2000)
    expect(served.requests).toHaveLength(before)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('two components on one job send one request stream: 11 requests in 1 s at 100 ms', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/v/', [defaultBody('in_progress', 40)])
    const { shown } = mount(() => h('div', [h(Job, { source: URL }), h(Job, { source: URL })]))
    await advance(1005)
    expect(served.requests).toHaveLength(11)
    expect(served.maxInFlight).toBe(1)
    expect(shown()).toEqual(['running 40', 'running 40'])
  })

  it('outside a component, in an effect scope: starts at once and stops with the scope', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/v/', [defaultBody('in_progress', 40)])
    const scope = effectScope()
    const job = scope.run(() => useJob(URL, { pollInterval: 100 }))
    await advance(150)
    expect(job?.snapshot.value?.percent).toBe(40)
    scope.stop()
    const before = served.requests.length
    await advance(1000)
    expect(served.requests).toHaveLength(before)
  })

  it('answers, and retries a failed job: the error is cleared and the new run followed', async () => {
    const posted = serveAskingJob('/jobs/v/', '/jobs/v2/')
    serveJob('/jobs/v2/', [defaultBody('completed', 100)])
    const scope = effectScope()
    const job = scope.run(() =>
      useJob(URL, { pollInterval: 20, respondUrl: `${ORIGIN}/jobs/v/respond/`, retryUrl: `${ORIGIN}/jobs/v/retry/` }),
    )
    await vi.waitFor(() => expect(job?.snapshot.value?.choices).toEqual([{ id: 'ok', label: 'ok' }]))
    await job?.respond('ok')
    await vi.waitFor(() => expect(job?.error.value?.name).toBe('JobFailedError'))
    await job?.retry()
    expect(job?.error.value).toBeUndefined()
    await vi.waitFor(() => expect(job?.snapshot.value?.status).toBe('succeeded'))
    expect(posted).toEqual(['respond {"choice":"ok"}', 'retry '])
    scope.stop()
    const none = effectScope().run(() => useJob(null))
    await expect(none?.cancel()).rejects.toThrow('no job to act on yet')
  })
})

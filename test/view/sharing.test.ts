// @vitest-environment happy-dom
// One job per status URL in a page, and the widget's own lifecycle bugs.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PollingStoppedError, ProgressPolling, pollJob } from '../../src/index'
import { pageStore } from '../../src/store/job-store'
import { defaultBody, gaps, ORIGIN, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()
const URL = `${ORIGIN}/jobs/s/`
afterEach(() => {
  document.body.innerHTML = ''
})

const box = () => document.body.appendChild(document.createElement('div'))

/** A 60-second job that moves every 600 ms, as the request-count figures use. */
const sixtySeconds = () =>
  serveJob('/jobs/s/', [
    () =>
      Response.json(
        Date.now() >= 60_000 ? defaultBody('completed', 100) : defaultBody('in_progress', Math.floor(Date.now() / 600)),
      ),
  ])

describe('one job per status URL', () => {
  it('gives two widgets on one URL one request stream, the same snapshots and the same end', async () => {
    vi.useFakeTimers({ now: 0 })
    const served = sixtySeconds()
    const a = new ProgressPolling(box(), URL)
    const b = new ProgressPolling(box(), '/jobs/s/')
    const onComplete = vi.fn()
    const c = pollJob(URL, { onComplete })
    await vi.advanceTimersByTimeAsync(61_000)
    // 121 requests, as one widget alone sends: not 242, nor 363.
    expect(served.requests).toHaveLength(121)
    expect(served.maxInFlight).toBe(1)
    expect(Math.min(...gaps(served.times))).toBe(500)
    expect(a.snapshot).toBe(b.snapshot)
    expect(c.snapshot).toBe(a.snapshot)
    await expect(a.done).resolves.toMatchObject({ status: 'succeeded' })
    await expect(b.done).resolves.toBe(await a.done)
    expect(onComplete).toHaveBeenCalledTimes(1)
  })

  it('goes on for the others when one consumer stops, and stops when the last one does', async () => {
    vi.useFakeTimers({ now: 0 })
    const served = sixtySeconds()
    const a = new ProgressPolling(box(), URL)
    const b = pollJob(URL)
    await vi.advanceTimersByTimeAsync(1100)
    a.destroy()
    await expect(a.done).rejects.toBeInstanceOf(Error)
    await vi.advanceTimersByTimeAsync(1000)
    expect(served.requests).toHaveLength(5)
    b.stop()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(served.requests).toHaveLength(5)
    expect(pageStore.list()).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('gives a consumer that joins late the current snapshot at once, and onStart once', async () => {
    vi.useFakeTimers({ now: 0 })
    sixtySeconds()
    const first = pollJob(URL)
    await vi.advanceTimersByTimeAsync(1300)
    const onStart = vi.fn()
    const late = pollJob(URL, { onStart })
    const listener = vi.fn()
    late.subscribe(listener)
    expect(listener).toHaveBeenCalledWith(first.snapshot)
    expect(onStart).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(onStart).toHaveBeenCalledTimes(1)
    first.stop()
    late.stop()
  })

  it('settles every consumer’s done, and fires nothing, when the store stops the job', async () => {
    vi.useFakeTimers({ now: 0 })
    const served = sixtySeconds()
    const callbacks = { onComplete: vi.fn(), onError: vi.fn() }
    const widget = new ProgressPolling(box(), URL, callbacks)
    const handle = pollJob(URL, callbacks)
    await vi.advanceTimersByTimeAsync(600)
    pageStore.stopAll()
    await expect(widget.done).rejects.toBeInstanceOf(PollingStoppedError)
    await expect(handle.done).rejects.toBeInstanceOf(PollingStoppedError)
    await vi.advanceTimersByTimeAsync(5000)
    expect(served.requests).toHaveLength(2)
    expect(callbacks.onComplete).not.toHaveBeenCalled()
    expect(callbacks.onError).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('lets plugins watch the jobs that come and go', async () => {
    vi.useFakeTimers({ now: 0 })
    sixtySeconds()
    const events: string[] = []
    const teardown = vi.fn()
    const remove = pageStore.use((store) => {
      const off = store.subscribe(({ type, job }) => events.push(`${type} ${job.spec.url}`))
      return () => {
        off()
        teardown()
      }
    })
    const job = pollJob(URL)
    job.stop()
    remove()
    remove()
    pollJob(URL).stop()
    expect(events).toEqual([`added ${URL}`, `removed ${URL}`])
    expect(teardown).toHaveBeenCalledTimes(1)
  })
})

describe('the widget', () => {
  it('stops polling once its element has left the page', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/s/', [defaultBody('in_progress', 5)])
    const container = box()
    const widget = new ProgressPolling(container, URL)
    await vi.advanceTimersByTimeAsync(1100)
    container.remove()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(served.requests).toHaveLength(4)
    await expect(widget.done).rejects.toBeInstanceOf(Error)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('replaces the widget its container already holds, and settles the old one', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/s/', [defaultBody('completed', 100)])
    serveJob('/jobs/s2/', [defaultBody('in_progress', 10)])
    const container = box()
    const old = new ProgressPolling(container, URL)
    await vi.advanceTimersByTimeAsync(10)
    new ProgressPolling(container, `${ORIGIN}/jobs/s2/`)
    await vi.advanceTimersByTimeAsync(10)
    expect(container.querySelectorAll('.progress-polling')).toHaveLength(1)
    expect(container.querySelector('.progress-polling')?.getAttribute('data-status')).toBe('running')
    await expect(old.done).resolves.toMatchObject({ status: 'succeeded' })
  })

  it('never hides with autoHideDelay: Infinity', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/s/', [defaultBody('completed', 100)])
    const container = box()
    new ProgressPolling(container, URL, { autoHideOnComplete: true, autoHideDelay: Infinity })
    await vi.advanceTimersByTimeAsync(3_600_000)
    expect((container.querySelector('.progress-polling') as HTMLElement).hidden).toBe(false)
  })

  it('gives its bar an id no other copy of the library on the page gives (script tag and npm bundle)', async () => {
    serveJob('/jobs/s/', [defaultBody('in_progress', 5)])
    const built = (await import('../../dist/progress-polling.js')) as unknown as typeof import('../../src/index')
    const a = new ProgressPolling(box(), URL, { title: 'A' })
    const b = new built.ProgressPolling(box(), URL, { title: 'B' })
    const ids = [...document.querySelectorAll('.pp-title')].map((title) => title.id)
    expect(new Set(ids).size).toBe(2)
    a.destroy()
    b.destroy()
  })

  it.each(['constructor', 'toString', 'total', 'attempt', 'lost'])(
    'shows a stage named "%s" by its name: never a function, never an interface label',
    async (stage) => {
      vi.useFakeTimers()
      serveJob('/jobs/s/', [{ status: stage, steps: [stage, 'next'] }])
      const container = box()
      new ProgressPolling(container, URL)
      await vi.advanceTimersByTimeAsync(10)
      const root = container.querySelector('.progress-polling') as HTMLElement
      expect(root.dataset.status).toBe('running')
      const name = stage.charAt(0).toUpperCase() + stage.slice(1)
      expect(root.querySelector('.pp-label')?.textContent).toBe(`${name} · step 1 of 2`)
      expect(root.querySelector('.pp-step')?.textContent).toBe(name)
    },
  )

  const html = () => new Response('<!doctype html><title>Sign in</title>', { headers: { 'content-type': 'text/html' } })
  const status = (code: number) => () => new Response('', { status: code })
  it.each([
    [
      'an HTML page (a login page)',
      [html],
      {},
      'Unreadable',
      "The server sent a web page instead of the job's status: you may need to sign in again.",
      /Response is not JSON .*text\/html/,
    ],
    [
      'a body that is not JSON',
      [() => new Response('<html>')],
      {},
      'Unreadable',
      "Can't read the job's status: the server sent something else.",
      /Response is not JSON/,
    ],
    ['a 404 once the job was seen', [status(404)], {}, 'Not found', 'This job no longer exists on the server.', /404/],
    [
      'a 401',
      [status(401)],
      {},
      'Not updating',
      'You are not allowed to see this job: you may need to sign in again.',
      /401/,
    ],
    ['a 400', [status(400)], {}, 'Not updating', "Can't get the job's status (HTTP 400).", /400/],
    [
      'no answer until the retries are spent',
      [{ networkError: true }],
      { retry: 1 },
      'Not updating',
      "Can't reach the server. The job may still be running: reload the page to check.",
      /Network error/,
    ],
    [
      'a limit reached',
      [],
      { maxAttempts: 1 },
      'Not updating',
      'Stopped following this job: it is taking longer than expected.',
      /maxAttempts/,
    ],
    [
      'a limit reached, in the page’s words',
      [],
      { maxAttempts: 1, timeoutMessage: 'Gave up, sorry' },
      'Not updating',
      'Gave up, sorry',
      /Gave up, sorry/,
    ],
  ] as const)(
    'shows polling that gave up on %s in words a person understands, the detail on hover, the job never as failed',
    async (_, then, options, label, words, detail) => {
      vi.useFakeTimers()
      serveJob('/jobs/s/', [defaultBody('in_progress', 40), ...then])
      const container = box()
      let error: Error | undefined
      new ProgressPolling(container, URL, {
        ...options,
        onError: (e) => {
          error = e
        },
      })
      await vi.advanceTimersByTimeAsync(5000)
      const root = container.querySelector('.progress-polling') as HTMLElement
      expect(root.dataset.status).toBe('running')
      expect(root.dataset.connection).toBe('lost')
      expect(root.querySelector('.pp-label')?.textContent).toBe(label)
      expect(root.querySelector('.pp-percent')?.textContent).toBe('40%')
      const message = root.querySelector('.pp-message') as HTMLElement
      expect(message.textContent).toBe(words)
      expect(message.title).toBe(error?.message)
      expect(message.title).toMatch(detail)
    },
  )

  it('says the same in French', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/s/', [defaultBody('in_progress', 40), html])
    const container = box()
    new ProgressPolling(container, URL, { locale: 'fr' })
    await vi.advanceTimersByTimeAsync(5000)
    expect(container.querySelector('.pp-label')?.textContent).toBe('Illisible')
    expect(container.querySelector('.pp-message')?.textContent).toMatch(/^Le serveur a envoyé une page web/)
  })
})

// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { pagePresence } from '../../src/env/presence'
import { ProgressPolling, pollJob } from '../../src/index'
import { fakePresence } from '../helpers/env'
import { defaultBody, ORIGIN, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()
const URL = `${ORIGIN}/jobs/6/`
/** Counts the listeners on document and window, by wrapping add/removeEventListener. */
function countListeners() {
  const live = new Map<string, number>()
  for (const target of [document, window] as EventTarget[]) {
    const add = target.addEventListener.bind(target)
    const remove = target.removeEventListener.bind(target)
    const name = target === document ? 'document' : 'window'
    vi.spyOn(target, 'addEventListener').mockImplementation((type, listener, options) => {
      live.set(`${name}:${type}`, (live.get(`${name}:${type}`) ?? 0) + 1)
      add(type, listener, options)
    })
    vi.spyOn(target, 'removeEventListener').mockImplementation((type, listener, options) => {
      live.set(`${name}:${type}`, (live.get(`${name}:${type}`) ?? 0) - 1)
      remove(type, listener, options)
    })
  }
  return () => [...live].filter(([, n]) => n !== 0)
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('pauseWhenHidden', () => {
  it('sends no request while the tab is hidden, and one at once when it is visible again', async () => {
    vi.useFakeTimers()
    const page = fakePresence()
    const served = serveJob('/jobs/6/', [defaultBody('in_progress', 5)])
    const job = pollJob(URL, { pollInterval: 1000 })
    await vi.advanceTimersByTimeAsync(10)
    page.hide()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(served.requests).toHaveLength(1)
    expect(job.snapshot?.connection).toBe('paused')
    page.show()
    await vi.advanceTimersByTimeAsync(10)
    expect(served.requests).toHaveLength(2)
    expect(job.snapshot?.connection).toBeUndefined()
    // Then one per interval: at +1000 and +2000 ms.
    await vi.advanceTimersByTimeAsync(2100)
    expect(served.requests).toHaveLength(4)
    job.stop()
  })

  it('does not start polling in a hidden tab until it is shown', async () => {
    vi.useFakeTimers()
    const page = fakePresence({ visible: false })
    const served = serveJob('/jobs/6/', [defaultBody('in_progress', 5)])
    const job = pollJob(URL)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(served.requests).toHaveLength(0)
    expect(job.snapshot).toMatchObject({ status: 'pending', connection: 'paused' })
    page.show()
    await vi.advanceTimersByTimeAsync(10)
    expect(served.requests).toHaveLength(1)
    job.stop()
  })

  it('polls on return only once an interval has passed: a flapping tab costs no extra request', async () => {
    vi.useFakeTimers({ now: 0 })
    const page = fakePresence()
    const served = serveJob('/jobs/6/', [
      () => Response.json(Date.now() >= 4000 ? defaultBody('completed', 100) : defaultBody('in_progress', 5)),
    ])
    const job = pollJob(URL, { pollInterval: 500 })
    for (let t = 0; t < 6000; t += 100) {
      if (t % 200) page.show()
      else page.hide()
      await vi.advanceTimersByTimeAsync(100)
    }
    page.show()
    await vi.advanceTimersByTimeAsync(1000)
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
    // A 4-second job at 500 ms is 9 requests, hidden or not (it was 22 when each return polled at once).
    expect(served.requests.length).toBeLessThanOrEqual(9)
  })

  it('pauses while offline and polls at once when back online', async () => {
    vi.useFakeTimers()
    const page = fakePresence()
    const served = serveJob('/jobs/6/', [defaultBody('in_progress', 5)])
    const job = pollJob(URL, { pollInterval: 2000 })
    await vi.advanceTimersByTimeAsync(10)
    page.offline()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(served.requests).toHaveLength(1)
    page.online()
    await vi.advanceTimersByTimeAsync(10)
    expect(served.requests).toHaveLength(2)
    job.stop()
  })

  it('counts a request that failed because the browser went offline as a pause, not a failure', async () => {
    vi.useFakeTimers()
    const page = fakePresence()
    const served = serveJob('/jobs/6/', [
      defaultBody('in_progress', 5),
      { wait: 1000, send: { networkError: true } },
      { wait: 1000, send: { networkError: true } },
      defaultBody('completed', 100),
    ])
    const onError = vi.fn()
    const job = pollJob(URL, { retry: 1, onError })
    for (let round = 0; round < 2; round++) {
      await vi.advanceTimersByTimeAsync(700)
      page.offline()
      await vi.advanceTimersByTimeAsync(5000)
      expect(job.snapshot?.connection).toBe('paused')
      page.online()
    }
    await vi.advanceTimersByTimeAsync(2000)
    expect(onError).not.toHaveBeenCalled()
    await expect(job.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(served.requests).toHaveLength(4)
  })

  it('pauses while offline with pauseWhenHidden: false too', async () => {
    vi.useFakeTimers()
    const page = fakePresence({ online: false })
    const served = serveJob('/jobs/6/', [defaultBody('in_progress', 5)])
    const job = pollJob(URL, { pauseWhenHidden: false })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(served.requests).toHaveLength(0)
    page.online()
    await vi.advanceTimersByTimeAsync(10)
    expect(served.requests).toHaveLength(1)
    job.stop()
  })

  it('keeps a server’s Retry-After even when the tab comes back', async () => {
    vi.useFakeTimers()
    const page = fakePresence()
    const served = serveJob('/jobs/6/', [
      () => new Response(null, { status: 503, headers: { 'Retry-After': '20' } }),
      defaultBody('in_progress', 5),
    ])
    const job = pollJob(URL)
    await vi.advanceTimersByTimeAsync(10)
    page.hide()
    await vi.advanceTimersByTimeAsync(1000)
    page.show()
    await vi.advanceTimersByTimeAsync(1000)
    expect(served.requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(18_000)
    expect(served.requests).toHaveLength(2)
    job.stop()
  })

  it('polls on in a hidden tab with pauseWhenHidden: false', async () => {
    vi.useFakeTimers()
    fakePresence({ visible: false })
    const served = serveJob('/jobs/6/', [defaultBody('in_progress', 5)])
    const job = pollJob(URL, { pauseWhenHidden: false })
    await vi.advanceTimersByTimeAsync(2100)
    expect(served.requests).toHaveLength(5)
    job.stop()
  })

  it('listens to the document and window only while a job waits for the page to come back', async () => {
    vi.useFakeTimers()
    const left = countListeners()
    serveJob('/jobs/6/', [defaultBody('in_progress', 5), defaultBody('completed', 100)])
    const a = pollJob(URL)
    const b = pollJob(URL)
    // A visible page is not watched: nothing waits for it.
    await vi.advanceTimersByTimeAsync(10)
    expect(left()).toEqual([])
    const stopListening = pagePresence.subscribe(() => {})
    expect(left()).toEqual([
      ['document:visibilitychange', 1],
      ['window:online', 1],
      ['window:offline', 1],
    ])
    stopListening()
    a.stop()
    await vi.advanceTimersByTimeAsync(5000)
    expect(b.snapshot?.status).toBe('succeeded')
    expect(left()).toEqual([])
  })
})

describe('the widget while reconnecting', () => {
  it('says the connection is lost, counts down to the next try each second, and keeps the bar', async () => {
    vi.useFakeTimers()
    const unavailable = () => new Response('', { status: 503, headers: { 'retry-after': '20' } })
    serveJob('/jobs/6/', [defaultBody('in_progress', 30), unavailable, defaultBody('in_progress', 31)])
    const box = document.createElement('div')
    document.body.append(box)
    new ProgressPolling(box, URL)
    await vi.advanceTimersByTimeAsync(600)
    const root = box.querySelector('.progress-polling') as HTMLElement
    const message = () => box.querySelector('.pp-message')?.textContent
    expect(root.dataset.connection).toBe('retrying')
    expect(box.querySelector('.pp-label')?.textContent).toBe('Reconnecting')
    expect(message()).toBe('Connection lost — retrying in 20 sec')
    expect(box.querySelector('.pp-percent')?.textContent).toBe('30%')
    await vi.advanceTimersByTimeAsync(1000)
    expect(message()).toBe('Connection lost — retrying in 19 sec')
    await vi.advanceTimersByTimeAsync(17_000)
    expect(message()).toBe('Connection lost — retrying in 2 sec')
    await vi.advanceTimersByTimeAsync(3000)
    expect(root.hasAttribute('data-connection')).toBe(false)
    expect(message()).toBe('Processing row 31')
    // The countdown stopped with the retry: no timer of it is left.
    expect(vi.getTimerCount()).toBe(1)
  })
})

describe('leaks', () => {
  it('leaves no timer and no listener after 2,000 widgets are created and destroyed', async () => {
    vi.useFakeTimers()
    const left = countListeners()
    const served = serveJob('/jobs/6/', [defaultBody('in_progress', 5)])
    const box = document.createElement('div')
    document.body.append(box)
    for (let round = 0; round < 20; round++) {
      const widgets = Array.from({ length: 100 }, () => new ProgressPolling(box, URL))
      await vi.advanceTimersByTimeAsync(round % 2 ? 10 : 0)
      for (const widget of widgets) widget.destroy()
    }
    await vi.advanceTimersByTimeAsync(60_000)
    expect(vi.getTimerCount()).toBe(0)
    expect(left()).toEqual([])
    expect(box.childElementCount).toBe(0)
    const before = served.requests.length
    await vi.advanceTimersByTimeAsync(60_000)
    expect(served.requests.length).toBe(before)
  }, 60_000)
})

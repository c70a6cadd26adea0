// @vitest-environment happy-dom
// The jobs tray: a list endpoint that feeds every listed job with one request, rows that come
// and go, one live region, the counter, and the timers that wait for a person to see an end.
import { HttpResponse, http } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { init } from '../../src/declarative/auto-init'
import { ProgressTray, type ProgressTrayOptions } from '../../src/index'
import { fakePresence } from '../helpers/env'
import { ORIGIN, serveJob, server, withJobServer } from '../helpers/job-server'

withJobServer()

const LIST = `${ORIGIN}/api/jobs/active/`
type Item = Record<string, unknown>

/** A list endpoint whose answer the test sets; counts its requests. */
function serveList(initial: Item[] | (() => Response)) {
  const state = { answer: initial, requests: 0 }
  server.use(
    http.get(LIST, () => {
      state.requests++
      return typeof state.answer === 'function' ? state.answer() : HttpResponse.json({ jobs: state.answer })
    }),
  )
  return state
}

/** Every request the page sent to a job's own status URL. */
function jobRequests() {
  const seen: string[] = []
  server.events.on('request:start', ({ request }) => {
    if (new URL(request.url).pathname.startsWith('/jobs/')) seen.push(request.url)
  })
  return seen
}

const running = (id: string, progress: number, extra: Item = {}) => ({
  id,
  status: 'running',
  progress,
  title: `Job ${id}`,
  ...extra,
})
const done = (id: string) => ({ id, status: 'completed', progress: 100, title: `Job ${id}` })
const failed = (id: string) => ({ id, status: 'failed', error: 'Disk full', title: `Job ${id}` })
const waiting = (id: string) => ({ id, status: 'waiting_user', title: `Job ${id}`, prompt: 'Go on?' })

let tray: ProgressTray | undefined
const make = (options: ProgressTrayOptions = {}) => {
  tray = new ProgressTray({ listUrl: LIST, url: `${ORIGIN}/jobs/{id}/`, ...options })
  return tray
}
const rows = () => [...document.querySelectorAll<HTMLElement>('.pp-tray-row:not([hidden])')]
const titles = () => rows().map((row) => row.querySelector('.pp-title')?.textContent)
const counter = () => document.querySelector('.pp-tray-count')?.textContent
const live = () => document.querySelector('.pp-tray-live')?.textContent

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  tray?.destroy()
  tray = undefined
  document.body.replaceChildren()
})

describe('a list endpoint', () => {
  it('updates every listed job with one request, none to their own URLs, and counts the running ones', async () => {
    const list = serveList([running('a', 10), running('b', 20), waiting('c')])
    const own = jobRequests()
    make()
    await vi.advanceTimersByTimeAsync(10)
    expect(titles()).toEqual(['Job a', 'Job b', 'Job c'])
    expect(counter()).toBe('2 jobs running · 1 waiting for an answer')
    list.answer = [running('a', 30), running('b', 40), waiting('c')]
    await vi.advanceTimersByTimeAsync(2000)
    expect(list.requests).toBe(2)
    expect(rows().map((r) => r.querySelector('.pp-percent')?.textContent)).toEqual(['30%', '40%', ''])
    expect(own).toEqual([])
  })

  it('follows 10 jobs for a minute with one request every 2 s (31 in all), none to the jobs themselves', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => running(`j${i}`, i))
    const list = serveList(ten)
    const own = jobRequests()
    make()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(rows()).toHaveLength(10)
    expect(list.requests).toBe(31)
    expect(own).toEqual([])
  })

  it('shows new ids as they appear; a succeeded job leaves after leaveAfter, failed and waiting ones stay until closed', async () => {
    const list = serveList([running('a', 10)])
    const events: string[] = []
    make({ leaveAfter: 3000 })
    tray?.root.addEventListener('progress-polling:added', () => events.push('added'))
    tray?.root.addEventListener('progress-polling:removed', () => events.push('removed'))
    await vi.advanceTimersByTimeAsync(10)
    list.answer = [done('a'), failed('b'), waiting('c')]
    await vi.advanceTimersByTimeAsync(2000)
    expect(titles()).toEqual(['Job a', 'Job b', 'Job c'])
    expect(events).toEqual(['added', 'added', 'added'])
    await vi.advanceTimersByTimeAsync(3000)
    expect(titles()).toEqual(['Job b', 'Job c'])
    expect(events).toEqual(['added', 'added', 'added', 'removed'])
    // Every ended or waiting row has a named close button.
    const close = rows().map((r) => r.querySelector<HTMLButtonElement>('.pp-tray-close') as HTMLButtonElement)
    expect(close.map((b) => [b.hidden, b.getAttribute('aria-label')])).toEqual([
      [false, 'Close Job b'],
      [false, 'Close Job c'],
    ])
    close[0]?.click()
    expect(titles()).toEqual(['Job c'])
  })

  it('polls only while a job is active, and again on refresh(), add() and the page’s return', async () => {
    const presence = fakePresence()
    const list = serveList([running('a', 10)])
    serveJob('/jobs/x/', [{ status: 'running', progress: 5 }])
    make({ leaveAfter: Number.POSITIVE_INFINITY })
    await vi.advanceTimersByTimeAsync(10)
    list.answer = [done('a')]
    await vi.advanceTimersByTimeAsync(2000)
    expect(counter()).toBe('No job running')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(list.requests).toBe(2)
    tray?.refresh()
    await vi.advanceTimersByTimeAsync(10)
    expect(list.requests).toBe(3)
    tray?.add(`${ORIGIN}/jobs/x/`, { title: 'Added' })
    await vi.advanceTimersByTimeAsync(10)
    expect(list.requests).toBe(4)
    presence.hide()
    presence.show()
    await vi.advanceTimersByTimeAsync(10)
    expect(list.requests).toBe(5)
    expect(titles()).toContain('Added')
    // After stopAll(), the page's return starts nothing; refresh() does.
    tray?.stopAll()
    presence.hide()
    presence.show()
    await vi.advanceTimersByTimeAsync(5000)
    expect(list.requests).toBe(5)
    list.answer = [running('a', 60)]
    tray?.refresh()
    await vi.advanceTimersByTimeAsync(10)
    expect(list.requests).toBe(6)
    // The list is followed again; the job the page added stays stopped.
    const a = rows().find((row) => row.querySelector('.pp-title')?.textContent === 'Job a')
    expect(a?.querySelector('.pp-percent')?.textContent).toBe('60%')
    expect(counter()).toBe('1 job running')
  })

  it('asks a job that left the list unfinished at its own URL, once; without one, shows it ended without saying how', async () => {
    const list = serveList([running('a', 10), running('b', 20)])
    const own = serveJob('/jobs/a/', [done('a')])
    serveJob('/jobs/b/', [() => new Response('', { status: 404 })])
    make()
    await vi.advanceTimersByTimeAsync(10)
    list.answer = []
    await vi.advanceTimersByTimeAsync(2000)
    expect(own.requests).toHaveLength(1)
    const [a, b] = rows()
    expect(a?.querySelector('.progress-polling')?.getAttribute('data-status')).toBe('succeeded')
    // b's own URL answers 404: its end is unknown, and it is not said to have failed.
    expect(b?.querySelector('.progress-polling')?.getAttribute('data-status')).toBe('running')
    expect(b?.querySelector('.pp-label')?.textContent).toBe('Ended')
    expect(b?.querySelector('.pp-message')?.textContent).toBe(
      'No longer listed by the server: how it ended is unknown.',
    )

    tray?.destroy()
    document.body.replaceChildren()
    const bare = serveList([running('c', 10)])
    make({ url: undefined })
    await vi.advanceTimersByTimeAsync(10)
    bare.answer = []
    await vi.advanceTimersByTimeAsync(2000)
    expect(rows()[0]?.querySelector('.pp-label')?.textContent).toBe('Ended')
  })

  it('keeps a closed job out while the list still has it, and makes one row of a job both added and listed', async () => {
    const list = serveList([failed('a'), running('b', 10)])
    serveJob('/jobs/b/', [{ status: 'running', progress: 10 }])
    make()
    tray?.add(`${ORIGIN}/jobs/b/`, { title: 'Added b' })
    await vi.advanceTimersByTimeAsync(10)
    expect(titles()).toEqual(['Added b', 'Job a'])
    const close = rows()[1]?.querySelector('.pp-tray-close') as HTMLButtonElement
    close.click()
    list.answer = [failed('a'), running('b', 20)]
    await vi.advanceTimersByTimeAsync(4000)
    expect(titles()).toEqual(['Added b'])
  })

  it('ends a job whose failure came without a reason when the list, with nothing else active, stops', async () => {
    serveList([{ id: 'a', status: 'failed', title: 'Job a' }])
    make()
    await vi.advanceTimersByTimeAsync(10)
    expect(rows()[0]?.querySelector('.progress-polling')?.getAttribute('data-status')).toBe('failed')
    expect(counter()).toBe('No job running')
  })

  it('retries a list request that failed, says so on the counter, and never removes a job for it', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const list = serveList([running('a', 10)])
    make()
    await vi.advanceTimersByTimeAsync(10)
    list.answer = () => new Response('', { status: 503 })
    await vi.advanceTimersByTimeAsync(2000)
    expect(document.querySelector('.pp-tray-problem')?.textContent).toBe('Reconnecting…')
    expect(tray?.root.hasAttribute('data-list-problem')).toBe(true)
    expect(titles()).toEqual(['Job a'])
    list.answer = () => HttpResponse.json([running('a', 50)])
    await vi.advanceTimersByTimeAsync(5000)
    expect(document.querySelector('.pp-tray-problem')?.textContent).toBe('')
    expect(rows()[0]?.querySelector('.pp-percent')?.textContent).toBe('50%')
  })

  it('reads the listed jobs with the parse option, to know whether the list must go on', async () => {
    const list = serveList([{ id: 'a', state: { word: 'busy', pct: 10 } }])
    make({
      parse: (body) => ({
        status: (body as { state: { word: string } }).state.word === 'busy' ? 'running' : 'completed',
      }),
    })
    await vi.advanceTimersByTimeAsync(10)
    await vi.advanceTimersByTimeAsync(4000)
    expect(list.requests).toBe(3)
    expect(counter()).toBe('1 job running')
  })

  it('reads a plain array, and says what is wrong with an answer that is not a list', async () => {
    serveList(() => HttpResponse.json({ status: 'ok' }))
    make()
    await vi.advanceTimersByTimeAsync(10)
    expect(document.querySelector('.pp-tray-problem')?.textContent).toBe('Not updating')
  })
})

describe('the tray', () => {
  it('hides ended jobs beyond max behind "+N more", never a running or waiting one', async () => {
    serveList([done('a'), failed('b'), running('c', 1), waiting('d'), failed('e')])
    make({ max: 2, leaveAfter: Number.POSITIVE_INFINITY })
    await vi.advanceTimersByTimeAsync(10)
    expect(titles()).toEqual(['Job a', 'Job b', 'Job c', 'Job d'])
    const more = document.querySelector('.pp-tray-more button') as HTMLButtonElement
    expect(more.textContent).toBe('+1 more')
    more.click()
    expect(titles()).toEqual(['Job a', 'Job b', 'Job c', 'Job d', 'Job e'])
    expect(document.querySelector('.pp-tray-more')).toBeNull()
  })

  it('holds a finished job while the tab is hidden, or the pointer or the focus is on the tray', async () => {
    const presence = fakePresence()
    const list = serveList([running('a', 10)])
    make({ leaveAfter: 3000 })
    await vi.advanceTimersByTimeAsync(10)
    presence.hide()
    list.answer = [done('a')]
    tray?.refresh()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(titles()).toEqual(['Job a'])
    presence.show()
    tray?.root.dispatchEvent(new Event('pointerenter'))
    await vi.advanceTimersByTimeAsync(10_000)
    expect(titles()).toEqual(['Job a'])
    tray?.root.dispatchEvent(new Event('pointerleave'))
    await vi.advanceTimersByTimeAsync(2900)
    expect(titles()).toEqual(['Job a'])
    await vi.advanceTimersByTimeAsync(200)
    expect(titles()).toEqual([])
  })

  it('has one live region that says starts, ends and stages, not each poll; rows have none of their own', async () => {
    const list = serveList([running('a', 10, { step: 'uploading' })])
    make()
    await vi.advanceTimersByTimeAsync(10)
    expect(live()).toBe('Job a: Uploading')
    const said: string[] = []
    new MutationObserver(() => said.push(live() ?? '')).observe(document.querySelector('.pp-tray-live') as Node, {
      childList: true,
      characterData: true,
      subtree: true,
    })
    list.answer = [running('a', 20, { step: 'uploading' })]
    await vi.advanceTimersByTimeAsync(2000)
    list.answer = [running('a', 30, { step: 'indexing' })]
    await vi.advanceTimersByTimeAsync(2000)
    list.answer = [done('a')]
    await vi.advanceTimersByTimeAsync(2000)
    expect(said).toEqual(['Job a: Indexing', 'Job a: Completed'])
    expect(document.querySelectorAll('[aria-live], [role="status"]')).toHaveLength(1)
  })

  it('says what one list answer changed at once: three jobs and a count, not a flood', async () => {
    const list = serveList(['a', 'b', 'c', 'd', 'e'].map((id) => running(id, 10)))
    make()
    await vi.advanceTimersByTimeAsync(10)
    list.answer = ['a', 'b', 'c', 'd', 'e'].map(done)
    await vi.advanceTimersByTimeAsync(2000)
    expect(live()).toBe('Job a: Completed. Job b: Completed. Job c: Completed. And 2 more')
  })

  it('collapses with its counter and with Escape, keeping the focus in the tray', async () => {
    serveList([running('a', 10), waiting('b')])
    make({ respondUrl: `${ORIGIN}/jobs/{id}/respond/` })
    await vi.advanceTimersByTimeAsync(10)
    const button = document.querySelector('.pp-tray-counter') as HTMLButtonElement
    expect(button.getAttribute('aria-expanded')).toBe('true')
    const close = document.querySelectorAll<HTMLButtonElement>('.pp-tray-close')[1] as HTMLButtonElement
    close.focus()
    close.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    expect(button.getAttribute('aria-expanded')).toBe('false')
    expect((document.querySelector('.pp-tray-stack') as HTMLElement).hidden).toBe(true)
    expect(document.activeElement).toBe(button)
    button.click()
    expect(button.getAttribute('aria-expanded')).toBe('true')
  })

  it('add() returns the job’s widget, once per status URL; stop, stopAll, remove and a result link', async () => {
    serveJob('/jobs/1/', [
      { status: 'running', progress: 10 },
      { status: 'completed', job_id: '1' },
    ])
    serveJob('/jobs/2/', [{ status: 'running', progress: 10 }])
    tray = new ProgressTray({
      url: `${ORIGIN}/jobs/{id}/`,
      resultUrl: '/results/{id}/',
      pollInterval: 1000,
      leaveAfter: 60_000,
      title: 'Imports',
    })
    const one = tray.add('1', { title: 'One' })
    expect(tray.add('1')).toBe(one)
    const two = tray.add('2')
    expect(tray.jobs).toEqual([one, two])
    // The tray's title names the tray, not its jobs.
    expect(tray.root.getAttribute('aria-label')).toBe('Imports')
    expect(rows().map((r) => r.querySelector('.pp-title')?.textContent)).toEqual(['One', ''])
    await vi.advanceTimersByTimeAsync(1100)
    const link = document.querySelector<HTMLAnchorElement>('.pp-tray-result')
    expect([link?.textContent, link?.getAttribute('href')]).toEqual(['See the result', '/results/1/'])
    tray.stop(two)
    expect(counter()).toBe('No job running')
    tray.remove(one)
    expect(tray.jobs).toEqual([two])
    tray.stopAll()
    tray.destroy()
    expect(document.querySelector('.pp-tray')).toBeNull()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('offers a finished job’s result with a button when onResult is given', async () => {
    serveList([done('a')])
    const onResult = vi.fn()
    make({ onResult })
    await vi.advanceTimersByTimeAsync(10)
    const button = document.querySelector<HTMLButtonElement>('button.pp-tray-result') as HTMLButtonElement
    expect(button.textContent).toBe('See the result')
    button.click()
    expect(onResult).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }), tray?.jobs[0])
  })

  it('takes one labels object for the tray and its rows, without mixing their words', async () => {
    serveList([running('a', 10), running('b', 10)])
    make({ labels: { jobsRunning: '{n} imports on the way', running: 'Importing' } })
    await vi.advanceTimersByTimeAsync(10)
    expect(counter()).toBe('2 imports on the way')
    expect(rows().map((r) => r.querySelector('.pp-label')?.textContent)).toEqual(['Importing', 'Importing'])
  })

  it('says in French how many jobs run, with the plural rules of French', async () => {
    serveList([running('a', 10)])
    make({ locale: 'fr' })
    await vi.advanceTimersByTimeAsync(10)
    expect(counter()).toBe('1 tâche en cours')
    expect(rows()[0]?.querySelector('.pp-label')?.textContent).toBe('En cours')
  })

  it('refuses a wrong position or container, saying what it must be', () => {
    expect(() => new ProgressTray({ position: 'middle' as never })).toThrow(
      /`position` option must be 'bottom-end', 'bottom-start', 'top-end' or 'top-start', got "middle"/,
    )
    expect(() => new ProgressTray({ container: '#nowhere' })).toThrow(/no container "#nowhere" for the tray/)
    expect(() => new ProgressTray({ max: -1 })).toThrow(/`max` option must be a number of jobs/)
  })

  it('starts from the page: data-progress-tray with data- options, and widgets that name it with data-tray', async () => {
    serveList([running('a', 10)])
    serveJob('/jobs/joined/', [{ status: 'running', progress: 70 }])
    document.body.innerHTML = `<div id="jobs" data-progress-tray data-list-url="${LIST}" data-url="${ORIGIN}/jobs/{id}/" data-position="top-start"></div>
      <div data-progress-polling="${ORIGIN}/jobs/joined/" data-tray="jobs" data-title="Joined"></div>`
    init()
    await vi.advanceTimersByTimeAsync(10)
    const root = document.querySelector('#jobs > .pp-tray') as HTMLElement
    expect(root.getAttribute('data-position')).toBe('top-start')
    expect(titles()).toEqual(['Joined', 'Job a'])
    document.getElementById('jobs')?.remove()
  })
})

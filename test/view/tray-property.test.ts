// @vitest-environment happy-dom
// Property test: whatever a list endpoint answers, however late, and whatever the page does
// meanwhile (adds, closes, stops, refreshes, hides), the tray keeps its promises: one list
// request at a time, one row per job, the counter true to the rows, nothing thrown, and
// nothing left running or in the page once it is destroyed.
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ProgressTray } from '../../src/index'
import { pageStore } from '../../src/store/job-store'
import { fakePresence } from '../helpers/env'

await import('../../src/view/actions')
await import('../../src/core/actions')

const ORIGIN = 'http://localhost'
const ids = ['a', 'b', 'c', 'd', 'e']
const item = fc.record({
  id: fc.constantFrom(...ids),
  status: fc.constantFrom('pending', 'running', 'waiting_user', 'completed', 'failed', 'cancelled', 'indexing'),
  progress: fc.integer({ min: 0, max: 100 }),
})
const answer = fc.record({
  kind: fc.constantFrom('list', 'list', 'list', 'array', '503', 'html', 'network'),
  items: fc.array(item, { maxLength: 6 }),
  delay: fc.integer({ min: 0, max: 5000 }),
})
const call = fc.record({
  at: fc.integer({ min: 0, max: 40_000 }),
  what: fc.constantFrom('add', 'close', 'stop', 'stopAll', 'refresh', 'hide', 'show', 'pointer', 'leave'),
  id: fc.constantFrom(...ids, 'x'),
})

afterEach(() => vi.useRealTimers())

describe('the tray, for any list answers and any calls', () => {
  it('sends one list request at a time, keeps one row per job and a true counter, throws nothing, and leaves nothing behind', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(answer, { minLength: 1, maxLength: 10 }),
        fc.array(call, { maxLength: 12 }),
        fc.integer({ min: 0, max: 4 }),
        async (answers, calls, max) => {
          vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
          const presence = fakePresence()
          const escaped: unknown[] = []
          const onUnhandled = (reason: unknown) => escaped.push(reason)
          process.on('unhandledRejection', onUnhandled)
          const errors = vi.spyOn(console, 'error').mockImplementation((...args) => escaped.push(args))
          let listed = 0
          let inFlight = 0
          let overlap = 0
          const fetch = async (url: unknown, init?: RequestInit): Promise<Response> => {
            const signal = init?.signal
            if (!String(url).includes('/list/')) {
              // A job's own URL (asked once when it leaves the list, or polled when added).
              return Response.json({ status: 'running', progress: 10 })
            }
            const { kind, items, delay } = answers[Math.min(listed++, answers.length - 1)] as (typeof answers)[number]
            if (++inFlight > 1) overlap++
            // A request is in flight until it is answered or aborted.
            let done = false
            const end = () => {
              if (!done) inFlight--
              done = true
            }
            try {
              await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(resolve, delay)
                signal?.addEventListener('abort', () => {
                  clearTimeout(timer)
                  end()
                  reject(new DOMException('aborted', 'AbortError'))
                })
              })
            } finally {
              end()
            }
            if (kind === 'network') throw new TypeError('Failed to fetch')
            if (kind === '503') return new Response('', { status: 503 })
            if (kind === 'html') return new Response('<html>', { headers: { 'content-type': 'text/html' } })
            return Response.json(kind === 'array' ? items : { jobs: items })
          }
          document.body.replaceChildren()
          const tray = new ProgressTray({
            listUrl: `${ORIGIN}/list/`,
            url: `${ORIGIN}/jobs/{id}/`,
            fetch,
            retry: 2,
            leaveAfter: 3000,
            max: max || Number.POSITIVE_INFINITY,
          })
          const rowsByUrl = () => tray.jobs.map((job) => job.url)
          for (const { at, what, id } of [...calls].sort((x, y) => x.at - y.at)) {
            await vi.advanceTimersByTimeAsync(Math.max(0, at - (Date.now() - Date.UTC(2030, 0, 1))))
            const first = tray.jobs[0]
            if (what === 'add') tray.add(id, { title: id })
            else if (what === 'close' && first) tray.remove(first)
            else if (what === 'stop' && first) tray.stop(first)
            else if (what === 'stopAll') tray.stopAll()
            else if (what === 'refresh') tray.refresh()
            else if (what === 'hide') presence.hide()
            else if (what === 'show') presence.show()
            else if (what === 'pointer') tray.root.dispatchEvent(new Event('pointerenter'))
            else if (what === 'leave') tray.root.dispatchEvent(new Event('pointerleave'))
            // One row per job, in the page as in `jobs`.
            expect(new Set(rowsByUrl()).size).toBe(tray.jobs.length)
          }
          presence.show()
          tray.root.dispatchEvent(new Event('pointerleave'))
          await vi.advanceTimersByTimeAsync(60_000)
          expect(overlap).toBe(0)
          expect(new Set(rowsByUrl()).size).toBe(tray.jobs.length)
          expect(document.querySelectorAll('.pp-tray-row')).toHaveLength(tray.jobs.length)
          // The counter says what the rows say.
          const states = [...document.querySelectorAll('.pp-tray-row')].map((row) => row.getAttribute('data-state'))
          const running = states.filter((state) => state === 'pending' || state === 'running').length
          const waiting = states.filter((state) => state === 'waiting').length
          const count = document.querySelector('.pp-tray-count')?.textContent
          if (!running && !waiting) expect(count).toBe('No job running')
          if (running) expect(count).toContain(`${running} job`)
          if (waiting) expect(count).toContain(`${waiting} waiting`)
          tray.destroy()
          await vi.advanceTimersByTimeAsync(60_000)
          expect(document.querySelector('.pp-tray')).toBeNull()
          expect(pageStore.list()).toEqual([])
          expect(vi.getTimerCount()).toBe(0)
          process.off('unhandledRejection', onUnhandled)
          errors.mockRestore()
          expect(escaped).toEqual([])
          vi.useRealTimers()
        },
      ),
      { numRuns: 120, endOnFailure: true },
    )
  }, 120_000)
})

// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { readDataOptions } from '../../src/declarative/auto-init'
import { defaultBody, ORIGIN, serveJob, withJobServer } from '../helpers/job-server'

withJobServer()

const element = (html: string) => {
  const template = document.createElement('template')
  template.innerHTML = html
  return template.content.firstElementChild as HTMLElement
}

describe('data- attributes', () => {
  it('reads the data- form of every option, parsed by the type of its default', () => {
    const el = element(`<div data-progress-polling="/jobs/42/" data-title="Import" data-icon="📊"
      data-poll-interval="1000" data-show-details="false" data-auto-hide-on-complete data-debug="true"
      data-headers='{"X-CSRFToken":"t0k"}' data-labels='{"running":"Busy"}' data-url="/j/{id}/"
      data-credentials="include" data-on-complete="alert(1)" data-fetch="x" data-unrelated="1"
      data-respond-url="/j/{id}/respond/" data-confirm-cancel="false" data-action-origins='["https://a.test"]'
      data-variant="compact" data-locale="fr-CA" data-stage-labels='{"indexing":"Indexation"}'></div>`)
    expect(readDataOptions(el)).toEqual({
      title: 'Import',
      icon: '📊',
      pollInterval: 1000,
      showDetails: false,
      autoHideOnComplete: true,
      debug: true,
      headers: { 'X-CSRFToken': 't0k' },
      labels: { running: 'Busy' },
      url: '/j/{id}/',
      credentials: 'include',
      respondUrl: '/j/{id}/respond/',
      confirmCancel: false,
      actionOrigins: ['https://a.test'],
      variant: 'compact',
      locale: 'fr-CA',
      stageLabels: { indexing: 'Indexation' },
    })
  })

  it('reads persist as true or as the key to save under, and shareAcrossTabs', () => {
    expect(readDataOptions(element('<div data-persist data-persist-for="60000"></div>'))).toEqual({
      persist: true,
      persistFor: 60000,
    })
    expect(readDataOptions(element('<div data-persist="report-42" data-share-across-tabs="false"></div>'))).toEqual({
      persist: 'report-42',
      shareAcrossTabs: false,
    })
  })

  it.each([
    ['data-poll-interval="fast"', TypeError, 'the `pollInterval` option must be a number, got "fast"'],
    [
      'data-poll-interval="-1"',
      RangeError,
      'the `pollInterval` option must be a number of milliseconds, 1 or more, got -1',
    ],
    ['data-show-details="no"', TypeError, 'the `showDetails` option must be a boolean, got "no"'],
    ['data-headers="X-A: 1"', TypeError, 'the `headers` option must be an object, got "X-A: 1"'],
    [
      'data-action-origins="https://a.test"',
      TypeError,
      'the `actionOrigins` option must be an array of origins (https://host:port), got "https://a.test"',
    ],
  ])('does not start on a bad attribute, and says which: %s', async (attribute, type, message) => {
    const { init } = await import('../../src/declarative/auto-init')
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const el = element(`<div data-progress-polling="/j/" ${attribute}></div>`)
    const detail = vi.fn()
    el.addEventListener('progress-polling:error', (e) => detail((e as CustomEvent).detail))
    expect(init(el)).toEqual([])
    expect(el.childElementCount).toBe(0)
    expect(detail.mock.calls[0]?.[0].message).toContain(message)
    expect(error).toHaveBeenCalledWith('[progress-polling] could not start', el, expect.any(type))
  })
})

describe('the script-tag build', () => {
  it('defines window.ProgressPolling, starts declarative widgets, later ones too, and destroys removed ones', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/42/', [defaultBody('in_progress', 42)])
    serveJob('/jobs/43/', [{ status: 'completed' }])
    document.body.innerHTML = `<div id="a" data-progress-polling="${ORIGIN}/jobs/42/" data-title="Import" data-poll-interval="1000"></div>`
    const events: string[] = []
    document.addEventListener('progress-polling:start', (e) => events.push((e.target as Element).id))
    document.addEventListener('progress-polling:complete', (e) => events.push(`${(e.target as Element).id} done`))

    await import('../../src/global')
    const global = window.ProgressPolling
    expect(typeof global).toBe('function')
    expect(typeof global.pollJob).toBe('function')
    expect(typeof global.init).toBe('function')
    expect(global.HttpError.name).toBe('HttpError')
    expect(global.defaults.pollInterval).toBe(500)

    await vi.advanceTimersByTimeAsync(10)
    expect(document.querySelector('#a .pp-title')?.textContent).toBe('Import')
    expect(events).toEqual(['a'])

    // An htmx swap or Turbo frame adds an element later.
    const later = element(`<section><div id="b" data-progress-polling="${ORIGIN}/jobs/43/"></div></section>`)
    document.body.append(later)
    await vi.advanceTimersByTimeAsync(10)
    expect(events).toEqual(['a', 'b', 'b done'])

    // init() on demand does not start an element twice.
    expect(global.init()).toHaveLength(2)
    expect(document.querySelectorAll('#a .progress-polling')).toHaveLength(1)

    // Removing the element stops its polling.
    const before = served.requests.length
    document.getElementById('a')?.remove()
    await vi.advanceTimersByTimeAsync(5000)
    expect(served.requests.length).toBe(before)
  })

  it('reports a declarative widget it cannot start, with an error event and the console', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const el = element('<div data-progress-polling="42"></div>')
    const detail = vi.fn()
    el.addEventListener('progress-polling:error', (e) => detail((e as CustomEvent).detail))
    document.body.append(el)
    window.ProgressPolling.init(el)
    expect(detail.mock.calls[0]?.[0]).toBeInstanceOf(TypeError)
    expect(error).toHaveBeenCalledWith('[progress-polling] could not start', el, expect.any(TypeError))
  })
})

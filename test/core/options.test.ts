import { afterEach, describe, expect, it, vi } from 'vitest'
import { resolveOptions as resolve } from '../../src/core/options'
import { resolveUrl } from '../../src/core/source'
import { formatNames } from '../../src/formats/index'
import { pollJob } from '../../src/index'
import { defaults, type ProgressPollingOptions } from '../../src/view/options'

const resolveOptions = (options: ProgressPollingOptions) => resolve(options, formatNames())

const pristine = { ...defaults }
afterEach(() => Object.assign(defaults, pristine))

describe('job source', () => {
  it('takes a URL as it is', () => {
    for (const url of ['/jobs/42/', 'https://api.example.com/ops/7', 'status.json?id=3', './status', 'jobs/4/'])
      expect(resolveUrl(url, undefined)).toBe(url)
  })

  it('puts an id into a template or a function', () => {
    expect(resolveUrl('abc-123', '/core/sse-progress/{id}/')).toBe('/core/sse-progress/abc-123/')
    expect(resolveUrl(42, '/jobs/{id}/?again={id}')).toBe('/jobs/42/?again=42')
    expect(resolveUrl('é&x', '/j/{id}')).toBe('/j/%C3%A9%26x')
    expect(resolveUrl('7', (id) => `/api/${id}`)).toBe('/api/7')
  })

  it('explains how to fix a bare id with no url template', () => {
    expect(() => resolveUrl('42', undefined)).toThrow(TypeError)
    expect(() => resolveUrl('42', undefined)).toThrow(
      '"42" is a job id, so the `url` option must be a template with {id} (got undefined). Set { url: "/jobs/{id}/" }',
    )
  })

  it('rejects a template without {id}, a bad function result, an empty or odd source', () => {
    expect(() => resolveUrl('42', '/jobs/')).toThrow('must be a template with {id} (got "/jobs/")')
    expect(() => resolveUrl('42', () => '')).toThrow('(got a function that returned "")')
    expect(() => resolveUrl(' ', '/j/{id}')).toThrow('the job source must be a status URL or a job id, got " "')
    expect(() => resolveUrl({} as never, '/j/{id}')).toThrow('must be a status URL or a job id, got {}')
  })
})

describe('options', () => {
  it('merges per-call options over the defaults with ??, keeping 0 and false', () => {
    const o = resolveOptions({ pollInterval: 1000, showDetails: false, autoHideDelay: 0 } as never)
    expect(o).toMatchObject({
      pollInterval: 1000,
      showDetails: false,
      autoHideDelay: 0,
      retry: 5,
      requestTimeout: 10000,
    })
  })

  it('uses site-wide defaults, and completes site headers and labels with a widget’s own', () => {
    defaults.url = '/jobs/{id}/'
    defaults.headers = { 'X-CSRFToken': 't' }
    const o = resolveOptions({ headers: { 'X-Other': '1' } })
    expect(o.url).toBe('/jobs/{id}/')
    expect(o.headers).toEqual({ 'X-CSRFToken': 't', 'X-Other': '1' })
  })

  const check = (options: object) => pollJob('/j/', { ...options, fetch: async () => Response.json({}) }).stop()
  it.each([
    [{ pollInterval: 0 }, RangeError, '`pollInterval` option must be a number of milliseconds, 1 or more, got 0'],
    [{ pollInterval: -5 }, RangeError, 'got -5'],
    [{ pollInterval: Number.NaN }, RangeError, 'got NaN'],
    [{ pollInterval: '500' }, TypeError, '`pollInterval` option must be a number, got "500"'],
    [{ requestTimeout: 0 }, RangeError, '`requestTimeout`'],
    [{ retry: 1.5 }, RangeError, '`retry.limit` option must be a whole number, 0 or more, got 1.5'],
    [
      { retry: { backoffLimit: -1 } },
      RangeError,
      '`retry.backoffLimit` option must be a number of milliseconds, 0 or more, got -1',
    ],
    [{ retry: '5' }, TypeError, '`retry` option must be a number or an object, got "5"'],
    [{ maxAttempts: 0 }, RangeError, '`maxAttempts` option must be a whole number, 1 or more, got 0'],
    [{ maxAttempts: 2.5 }, RangeError, '`maxAttempts`'],
    [{ timeout: -1 }, RangeError, '`timeout` option must be a number of milliseconds, 1 or more'],
    [{ timeoutMessage: 5 }, TypeError, '`timeoutMessage` option must be a string, got 5'],
    [{ steps: 'a,b' }, TypeError, '`steps` option must be an array of stage names, got "a,b"'],
    [{ steps: [1, 2] }, TypeError, '`steps` option must be an array of stage names, got object'],
    [{ format: 5 }, TypeError, '`format` option must be a string, got 5'],
    [{ parse: {} }, TypeError, '`parse` option must be a function, got object'],
    [{ pauseWhenHidden: 'no' }, TypeError, '`pauseWhenHidden` option must be a boolean, got "no"'],
    [{ autoHideDelay: -1 }, RangeError, '`autoHideDelay`'],
    [{ onComplete: 'done()' }, TypeError, '`onComplete` option must be a function, got "done()"'],
    [{ url: 42 }, TypeError, '`url` option must be a string or a function, got 42'],
    [{ title: 5 }, TypeError, '`title` option must be a string, got 5'],
    [{ headers: 'X-A: 1' }, TypeError, '`headers` option must be an object, got "X-A: 1"'],
  ])('rejects %o with a message that names the option', (options, type, message) => {
    expect(() => check(options)).toThrow(type)
    expect(() => check(options)).toThrow(message)
  })

  it('rejects options that are not an object', () => {
    expect(() => resolveOptions(null as never)).toThrow('options must be an object, got null')
  })

  it('ignores unknown option names, warning only with debug', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    resolveOptions({ pollIntervall: 5 } as never)
    expect(warn).not.toHaveBeenCalled()
    resolveOptions({ pollIntervall: 5, debug: true } as never)
    expect(warn).toHaveBeenCalledWith('[progress-polling] ignoring unknown options:', 'pollIntervall')
  })

  it('throws from pollJob before any request when the options are wrong', () => {
    const fetch = vi.fn()
    expect(() => pollJob('/j/', { pollInterval: -1, fetch })).toThrow(RangeError)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('asks for a fetch option where there is no global fetch', () => {
    vi.stubGlobal('fetch', undefined)
    expect(() => pollJob('/j/')).toThrow('no global fetch here; pass one as the `fetch` option')
  })
})

// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { JobFailedError, type JobSnapshot, PollingStoppedError, ProgressPolling } from '../../src/index'
import { defaults } from '../../src/view/options'
import { createView } from '../../src/view/render'
import { defaultBody, ORIGIN, serveJob, withJobServer } from '../helpers/job-server'
import { VIEW } from '../helpers/view'

withJobServer()
const URL = `${ORIGIN}/jobs/1/`
let box: HTMLElement
const pristine = { ...defaults }
beforeEach(() => {
  document.body.innerHTML = '<div id="jauge" class="box"><p>Fallback text</p></div>'
  box = document.getElementById('jauge') as HTMLElement
})
afterEach(() => Object.assign(defaults, pristine))

const q = (selector: string) => box.querySelector(selector) as HTMLElement
const bar = () => q('[role="progressbar"]')

/** The DOM mutations inside the container while `action` runs. */
async function mutationsDuring(action: () => Promise<unknown>): Promise<MutationRecord[]> {
  const records: MutationRecord[] = []
  const observer = new MutationObserver((batch) => records.push(...batch))
  observer.observe(box, { subtree: true, childList: true, attributes: true, characterData: true })
  await action()
  records.push(...observer.takeRecords())
  observer.disconnect()
  return records
}

describe('mounting', () => {
  it('mounts into an element, an id or a CSS selector, keeping what the container had', () => {
    serveJob('/jobs/1/', [{ status: 'pending' }])
    const fetch = vi.fn(async () => Response.json({ status: 'pending' }))
    for (const container of [box, 'jauge', '#jauge', 'body > .box']) {
      const widget = new ProgressPolling(container, '/j/', { fetch })
      expect(widget.container).toBe(box)
      widget.destroy()
    }
    expect(box.textContent).toBe('Fallback text')
  })

  it('names what it looked for when the container does not exist', () => {
    expect(() => new ProgressPolling('nope', URL)).toThrow(TypeError)
    expect(() => new ProgressPolling('nope', URL)).toThrow(
      'no container "nope": pass an element, an element id or a CSS selector of an element that exists',
    )
    expect(() => new ProgressPolling('[[bad', URL)).toThrow('no container "[[bad"')
    expect(() => new ProgressPolling(null as never, URL)).toThrow('no container null')
    expect(() => new ProgressPolling(document.createTextNode('x') as never, URL)).toThrow('no container {}')
  })

  it('rejects a bare id with no url template, naming the fix, and mounts nothing', () => {
    expect(() => new ProgressPolling(box, 'abc-123')).toThrow(
      'is a job id, so the `url` option must be a template with {id}',
    )
    expect(box.querySelector('.progress-polling')).toBeNull()
  })

  it('puts an id into the url template from ProgressPolling.defaults', async () => {
    ProgressPolling.defaults.url = `${ORIGIN}/jobs/{id}/`
    serveJob('/jobs/1/', [{ status: 'done' }])
    const widget = new ProgressPolling('jauge', 1)
    await expect(widget.done).resolves.toMatchObject({ status: 'succeeded' })
    expect(widget.url).toBe(URL)
  })
})

describe('what a person sees', () => {
  it('renders title, icon, a labelled progressbar, status, statistics and the message', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [defaultBody('in_progress', 45)])
    const widget = new ProgressPolling(box, URL, { title: 'Import', icon: '📊' })
    await vi.advanceTimersByTimeAsync(10)
    const root = q('.progress-polling')
    expect(root.dataset.status).toBe('running')
    expect(q('.pp-icon').textContent).toBe('📊')
    expect(q('.pp-icon').getAttribute('aria-hidden')).toBe('true')
    expect(q('.pp-title').textContent).toBe('Import')
    expect(bar().getAttribute('aria-labelledby')).toBe(q('.pp-title').id)
    expect(bar().getAttribute('aria-valuemin')).toBe('0')
    expect(bar().getAttribute('aria-valuemax')).toBe('100')
    expect(bar().getAttribute('aria-valuenow')).toBe('45')
    expect(bar().getAttribute('aria-valuetext')).toBe('45% (45 of 100)')
    expect(q('.pp-fill').style.getPropertyValue('--pp-percent')).toBe('45%')
    expect(q('.pp-percent').textContent).toBe('45%')
    expect(q('.pp-label').textContent).toBe('Running')
    // One line of what applies: no "0 failed".
    const stats = [...box.querySelectorAll('.pp-stats > :not([hidden])')].map((s) => s.textContent)
    expect(stats).toEqual(['45 of 100', '23 sec elapsed', '~28 sec left'])
    const message = q('.pp-message')
    expect(message.getAttribute('role')).toBe('status')
    expect(message.getAttribute('aria-live')).toBe('polite')
    expect(message.textContent).toBe('Processing row 45')
    widget.destroy()
  })

  it('shows an indeterminate bar with no aria-valuenow when the amount is unknown', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [{ status: 'running', message: 'Thinking' }])
    new ProgressPolling(box, URL)
    await vi.advanceTimersByTimeAsync(10)
    expect(q('.progress-polling').hasAttribute('data-indeterminate')).toBe(true)
    expect(bar().hasAttribute('aria-valuenow')).toBe(false)
    expect(bar().getAttribute('aria-valuetext')).toBe('In progress, amount unknown')
    expect(bar().getAttribute('aria-label')).toBe('Progress')
    expect(q('.pp-percent').textContent).toBe('')
    expect(box.querySelectorAll('.pp-stats > :not([hidden])')).toHaveLength(0)
    expect(q('.pp-stats').hidden).toBe(true)
  })

  it('starts as pending before the first response', () => {
    serveJob('/jobs/1/', [{ wait: 1000, send: { status: 'running' } }])
    const widget = new ProgressPolling(box, URL)
    expect(q('.progress-polling').dataset.status).toBe('pending')
    expect(q('.pp-label').textContent).toBe('Queued')
    widget.destroy()
  })

  it('shows the stage name of a running job as its label, in sentence case, with where it is among the stages', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [{ status: 'indexing' }])
    serveJob('/jobs/2/', [{ status: 'running', step: 'generating_thumbnails' }])
    new ProgressPolling(box, URL)
    const other = document.createElement('div')
    document.body.append(other)
    new ProgressPolling(other, `${ORIGIN}/jobs/2/`, { steps: ['uploading', 'generating_thumbnails', 'publishing'] })
    await vi.advanceTimersByTimeAsync(10)
    expect(q('.pp-label').textContent).toBe('Indexing')
    expect(other.querySelector('.pp-label')?.textContent).toBe('Generating thumbnails · step 2 of 3')
    expect(other.querySelector('.pp-label')?.getAttribute('title')).toBe('Generating thumbnails · step 2 of 3')
    expect([...other.querySelectorAll('.pp-step')].map((s) => [s.textContent, s.getAttribute('data-state')])).toEqual([
      ['Uploading', 'done'],
      ['Generating thumbnails', 'current'],
      ['Publishing', 'upcoming'],
    ])
  })

  it('shows 100% and Completed on success, and the server error on failure', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [defaultBody('completed', 97)])
    serveJob('/jobs/2/', [defaultBody('in_progress', 40), { status: 'failed', progress: 100, error: 'Disk full' }])
    const a = document.createElement('div')
    const b = document.createElement('div')
    document.body.append(a, b)
    new ProgressPolling(a, URL)
    new ProgressPolling(b, `${ORIGIN}/jobs/2/`)
    await vi.advanceTimersByTimeAsync(2000)
    expect(a.querySelector('.pp-percent')?.textContent).toBe('100%')
    expect(a.querySelector('.pp-label')?.textContent).toMatch(/^Completed in \d+ sec$/)
    expect(b.querySelector('.progress-polling')?.getAttribute('data-status')).toBe('failed')
    expect(b.querySelector('.pp-percent')?.textContent).toBe('40%')
    expect(b.querySelector('.pp-message')?.textContent).toBe('Disk full')
  })

  it('hides the statistics with showDetails: false and the message with showStats: false', async () => {
    const fetch = async () => Response.json(defaultBody('in_progress', 5))
    new ProgressPolling(box, '/j/', { fetch, showDetails: false, showStats: false }).stop()
    expect(box.querySelector('.pp-stats')).toBeNull()
    expect(box.querySelector('.pp-message')).toBeNull()
  })

  it('takes any visible string from labels, site-wide and per widget', async () => {
    vi.useFakeTimers()
    ProgressPolling.defaults.labels = { running: 'Importing' }
    serveJob('/jobs/1/', [defaultBody('in_progress', 5)])
    new ProgressPolling(box, URL, { labels: { processedOf: '{processed} rows of {total}' } })
    await vi.advanceTimersByTimeAsync(10)
    expect(q('.pp-label').textContent).toBe('Importing')
    expect(q('.pp-count').textContent).toBe('5 rows of 100')
  })

  it('renders a hostile message and title as text, never as HTML', async () => {
    vi.useFakeTimers()
    const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    serveJob('/jobs/1/', [{ status: 'running', message: hostile, step: hostile }])
    new ProgressPolling(box, URL, { title: hostile, icon: hostile })
    await vi.advanceTimersByTimeAsync(10)
    expect(box.querySelectorAll('img, script')).toHaveLength(0)
    expect(q('.pp-message').textContent).toBe(hostile)
    expect(q('.pp-title').textContent).toBe(hostile)
    expect(q('.pp-label').textContent).toBe(hostile)
  })
})

describe('rendering by diffing', () => {
  it('writes nothing to the DOM when a snapshot is unchanged', async () => {
    const view = createView({ ...VIEW, title: 'T' })
    box.append(view.root)
    const snapshot: JobSnapshot = { status: 'running', terminal: false, percent: 30, processed: 3, total: 10, raw: {} }
    expect((await mutationsDuring(async () => view.render(snapshot))).length).toBeGreaterThan(0)
    expect(await mutationsDuring(async () => view.render({ ...snapshot, raw: { other: 1 } }))).toEqual([])
  })

  it('writes only what changed', async () => {
    const view = createView({ ...VIEW, showDetails: false })
    box.append(view.root)
    const snapshot: JobSnapshot = { status: 'running', terminal: false, percent: 30, message: 'a', raw: {} }
    view.render(snapshot)
    const records = await mutationsDuring(async () => view.render({ ...snapshot, message: 'b' }))
    expect(
      new Set(
        records.map((r) => (r.target.nodeType === 3 ? r.target.parentElement : (r.target as Element))?.className),
      ),
    ).toEqual(new Set(['pp-message']))
  })

  it('causes no DOM writes while the server repeats the same status', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [defaultBody('in_progress', 5)])
    new ProgressPolling(box, URL)
    await vi.advanceTimersByTimeAsync(10)
    expect(await mutationsDuring(() => vi.advanceTimersByTimeAsync(5000))).toEqual([])
  })
})

describe('callbacks and DOM events', () => {
  it('fires onStart once, onProgress per change, onComplete once, and bubbling events', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [defaultBody('in_progress', 5), defaultBody('in_progress', 5), defaultBody('completed', 100)])
    const calls: string[] = []
    const events: string[] = []
    for (const type of ['start', 'progress', 'complete', 'error'])
      document.addEventListener(`progress-polling:${type}`, (e) => {
        events.push(`${type}:${(e as CustomEvent<JobSnapshot>).detail.status}`)
      })
    new ProgressPolling(box, URL, {
      onStart: (s) => calls.push(`start:${s.status}`),
      onProgress: (s) => calls.push(`progress:${s.status}`),
      onComplete: (s) => calls.push(`complete:${s.status}`),
      onError: () => calls.push('error'),
    })
    await vi.advanceTimersByTimeAsync(5000)
    const expected = ['start:running', 'progress:running', 'progress:succeeded', 'complete:succeeded']
    expect(calls).toEqual(expected)
    expect(events).toEqual(expected)
  })

  it('sends the error in the detail of progress-polling:error', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [{ status: 'failed', message: 'Nope' }])
    const detail = vi.fn()
    box.addEventListener('progress-polling:error', (e) => detail((e as CustomEvent).detail))
    const widget = new ProgressPolling(box, URL)
    await vi.advanceTimersByTimeAsync(10)
    expect(detail.mock.calls[0]?.[0]).toBeInstanceOf(JobFailedError)
    await expect(widget.done).rejects.toThrow('Nope')
  })

  it('keeps polling when a callback throws, and reports it', async () => {
    vi.useFakeTimers()
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    serveJob('/jobs/1/', [defaultBody('in_progress', 5), defaultBody('completed', 100)])
    const widget = new ProgressPolling(box, URL, {
      onStart: () => {
        throw new Error('oops')
      },
    })
    await vi.advanceTimersByTimeAsync(2000)
    expect(widget.snapshot?.status).toBe('succeeded')
    expect(error).toHaveBeenCalledTimes(1)
  })
})

describe('autoHideOnComplete', () => {
  it('hides the widget autoHideDelay after success', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [{ status: 'completed' }])
    new ProgressPolling(box, URL, { autoHideOnComplete: true, autoHideDelay: 1000 })
    await vi.advanceTimersByTimeAsync(990)
    expect(q('.progress-polling').hidden).toBe(false)
    await vi.advanceTimersByTimeAsync(20)
    expect(q('.progress-polling').hidden).toBe(true)
  })

  it('keeps a failed job on screen', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [{ status: 'failed' }])
    new ProgressPolling(box, URL, { autoHideOnComplete: true, autoHideDelay: 0 })
    await vi.advanceTimersByTimeAsync(5000)
    expect(q('.progress-polling').hidden).toBe(false)
  })
})

describe('stop, restart, destroy', () => {
  it('stop() keeps the widget as it is and polls no more', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/1/', [defaultBody('in_progress', 5)])
    const widget = new ProgressPolling(box, URL)
    await vi.advanceTimersByTimeAsync(10)
    widget.stop()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(served.requests).toHaveLength(1)
    expect(q('.pp-percent').textContent).toBe('5%')
    await expect(widget.done).rejects.toBeInstanceOf(PollingStoppedError)
  })

  it('restart() polls again and shows a hidden widget again', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [{ status: 'completed' }])
    const widget = new ProgressPolling(box, URL, { autoHideOnComplete: true, autoHideDelay: 10 })
    await vi.advanceTimersByTimeAsync(100)
    expect(q('.progress-polling').hidden).toBe(true)
    widget.restart()
    expect(q('.progress-polling').hidden).toBe(false)
    await expect(widget.done).resolves.toMatchObject({ status: 'succeeded' })
  })

  it('destroy() aborts the request, clears every timer, removes the DOM, settles done; twice is safe', async () => {
    vi.useFakeTimers()
    const served = serveJob('/jobs/1/', [{ wait: 3000, send: defaultBody('in_progress', 5) }])
    const onError = vi.fn()
    const widget = new ProgressPolling(box, URL, { onError, autoHideOnComplete: true })
    await vi.advanceTimersByTimeAsync(10)
    widget.destroy()
    widget.destroy()
    expect(box.querySelector('.progress-polling')).toBeNull()
    expect(served.requests[0]?.signal.aborted).toBe(true)
    await expect(widget.done).rejects.toBeInstanceOf(PollingStoppedError)
    // The simulated server still sleeps 3 s on the aborted request; after that nothing is left.
    await vi.advanceTimersByTimeAsync(60_000)
    expect(vi.getTimerCount()).toBe(0)
    expect(served.requests).toHaveLength(1)
    expect(onError).not.toHaveBeenCalled()
    expect(() => widget.restart()).toThrow('restart() after destroy()')
  })

  it('destroy() during the auto-hide delay clears that timer too', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [{ status: 'completed' }])
    const widget = new ProgressPolling(box, URL, { autoHideOnComplete: true, autoHideDelay: 5000 })
    await vi.advanceTimersByTimeAsync(10)
    expect(vi.getTimerCount()).toBe(1)
    widget.destroy()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('stage-based jobs', () => {
  it('shows a stepper from the steps option, the current stage as the label, and the stages done on the bar', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [
      { status: 'pending' },
      { status: 'uploading' },
      { status: 'indexing' },
      { status: 'complete' },
    ])
    new ProgressPolling(box, URL, {
      steps: ['uploading', 'indexing', 'analyzing'],
      stageLabels: { indexing: 'Indexing the video' },
    })
    const states = () =>
      [...box.querySelectorAll('.pp-step')].map((li) => `${li.textContent}:${li.getAttribute('data-state')}`)
    await vi.advanceTimersByTimeAsync(10)
    expect(q('.pp-steps').hidden).toBe(false)
    expect(q('.pp-steps').getAttribute('aria-label')).toBe('Stages')
    expect(states()).toEqual(['Uploading:upcoming', 'Indexing the video:upcoming', 'Analyzing:upcoming'])
    await vi.advanceTimersByTimeAsync(500)
    expect(states()).toEqual(['Uploading:current', 'Indexing the video:upcoming', 'Analyzing:upcoming'])
    expect(q('.pp-label').textContent).toBe('Uploading · step 1 of 3')
    expect(bar().getAttribute('aria-valuenow')).toBe('0')
    await vi.advanceTimersByTimeAsync(500)
    expect(states()).toEqual(['Uploading:done', 'Indexing the video:current', 'Analyzing:upcoming'])
    expect(q('.pp-step[aria-current="step"]').textContent).toBe('Indexing the video')
    expect(q('.pp-label').textContent).toBe('Indexing the video · step 2 of 3')
    expect(bar().getAttribute('aria-valuenow')).toBe('33')
    await vi.advanceTimersByTimeAsync(500)
    expect(states()).toEqual(['Uploading:done', 'Indexing the video:done', 'Analyzing:done'])
    expect(box.querySelector('[aria-current]')).toBeNull()
  })

  it('takes the stages from the server when it sends them, and hides the stepper otherwise', async () => {
    vi.useFakeTimers()
    serveJob('/jobs/1/', [{ status: 'running', step: 'b', steps: ['a', 'b'] }])
    new ProgressPolling(box, URL)
    await vi.advanceTimersByTimeAsync(10)
    expect([...box.querySelectorAll('.pp-step')].map((li) => li.getAttribute('data-state'))).toEqual([
      'done',
      'current',
    ])
    const other = document.createElement('div')
    document.body.append(other)
    serveJob('/jobs/2/', [{ status: 'running' }])
    new ProgressPolling(other, `${ORIGIN}/jobs/2/`)
    await vi.advanceTimersByTimeAsync(10)
    expect((other.querySelector('.pp-steps') as HTMLElement).hidden).toBe(true)
  })
})

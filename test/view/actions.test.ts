// @vitest-environment happy-dom
// The widget's actions: a waiting job's answers as buttons, cancel while it runs, retry after
// it failed; what a person sees after each answer the server may give.
import { delay, HttpResponse, http } from 'msw'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ProgressPolling, type ProgressPollingOptions } from '../../src/index'
import { ORIGIN, type Step, serveJob, server, waitingBody as waiting, withJobServer } from '../helpers/job-server'

withJobServer()
let box: HTMLElement
beforeEach(() => {
  document.body.innerHTML = '<div id="jauge"></div>'
  box = document.getElementById('jauge') as HTMLElement
})

const options: ProgressPollingOptions = {
  pollInterval: 60_000,
  respondUrl: `${ORIGIN}/jobs/{id}/respond/`,
  cancelUrl: `${ORIGIN}/jobs/{id}/cancel/`,
  retryUrl: `${ORIGIN}/jobs/{id}/retry/`,
}

const buttons = () => [...box.querySelectorAll<HTMLButtonElement>('.pp-actions button')]
const named = (name: string) => buttons().find((b) => b.textContent === name) as HTMLButtonElement
const notice = () => box.querySelector('.pp-notice')?.textContent
const until = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 5 })

function servePost(
  path: string,
  reply: () => Response | Promise<Response> = () => new Response(null, { status: 204 }),
) {
  const bodies: string[] = []
  server.use(
    http.post(`${ORIGIN}${path}`, async ({ request }) => {
      bodies.push(await request.text())
      return reply()
    }),
  )
  return bodies
}

async function mount(steps: Step[], extra: ProgressPollingOptions = {}) {
  const served = serveJob('/jobs/j1/', steps)
  const widget = new ProgressPolling(box, `${ORIGIN}/jobs/j1/`, { ...options, ...extra })
  await until(() => expect(buttons().length).toBeGreaterThan(0))
  return { widget, served }
}

describe('a waiting job’s question', () => {
  it('shows the question and its answers as real buttons, named by the question, a danger one marked', async () => {
    const { widget } = await mount([waiting])
    expect(box.querySelector('.pp-prompt')?.textContent).toBe('Replace the 12 existing contacts?')
    expect(buttons().map((b) => [b.type, b.textContent, b.getAttribute('data-kind')])).toEqual([
      ['button', 'Replace them', 'danger'],
      ['button', 'Keep both', null],
    ])
    const group = box.querySelector('[role="group"]') as HTMLElement
    expect(document.getElementById(group.getAttribute('aria-labelledby') as string)?.textContent).toBe(
      'Replace the 12 existing contacts?',
    )
    expect(box.querySelector('.pp-prompt')?.getAttribute('aria-live')).toBe('polite')
    widget.destroy()
  })

  it('sends one answer for a double click, marks it while it is in flight, then says it was sent and keeps the focus', async () => {
    const bodies = servePost('/jobs/j1/respond/', async () => {
      await delay(40)
      return new Response(null, { status: 204 })
    })
    const { widget } = await mount([waiting])
    const replace = named('Replace them')
    replace.focus()
    replace.click()
    replace.click()
    await until(() => expect(replace.getAttribute('aria-busy')).toBe('true'))
    expect(buttons().every((b) => b.getAttribute('aria-disabled') === 'true')).toBe(true)
    expect(notice()).toBe('Sending…')
    named('Keep both').click()
    await until(() => expect(notice()).toBe('Answer sent. Waiting for the job to go on…'))
    expect(bodies).toEqual(['{"choice":"replace"}'])
    // The question answered is not asked again while the job still says it waits.
    expect(buttons()).toEqual([])
    expect(box.contains(document.activeElement)).toBe(true)
    widget.destroy()
  })

  it('moves on when the job does: polled at once after the answer', async () => {
    servePost('/jobs/j1/respond/')
    const { widget, served } = await mount([waiting, { status: 'running', progress: 60, job_id: 'j1' }])
    named('Keep both').click()
    await until(() => expect(box.querySelector('.progress-polling')?.getAttribute('data-status')).toBe('running'))
    expect(served.requests).toHaveLength(2)
    // Running now: the question and the notice are gone; cancel is offered.
    expect(box.querySelector('.pp-prompt')?.textContent).toBe('')
    expect(notice()).toBe('')
    expect(buttons().map((b) => b.textContent)).toEqual(['Cancel job'])
    widget.destroy()
  })

  it('says "already done elsewhere" on a 409, "not allowed" on a 403, and what failed otherwise, re-enabling the buttons', async () => {
    for (const [status, words, again] of [
      [409, 'Already done elsewhere (in another tab or by someone else).', false],
      [403, 'You are not allowed to do this.', true],
      [500, 'Could not send (HTTP 500). Try again.', true],
    ] as const) {
      servePost('/jobs/j1/respond/', () => new Response(null, { status }))
      const { widget } = await mount([waiting])
      named('Keep both').click()
      await until(() => expect(notice()).toBe(words))
      expect(buttons().length > 0).toBe(again)
      expect(buttons().some((b) => b.hasAttribute('aria-disabled'))).toBe(false)
      widget.destroy()
    }
    server.use(http.post(`${ORIGIN}/jobs/j1/respond/`, () => HttpResponse.error()))
    const { widget } = await mount([waiting])
    named('Keep both').click()
    await until(() => expect(notice()).toBe('Could not send (no connection). Try again.'))
    widget.destroy()
  })

  it('fires progress-polling:action once per answer sent, with the status and the body', async () => {
    servePost('/jobs/j1/respond/', () => HttpResponse.json({ ok: 1 }, { status: 202 }))
    const events: unknown[] = []
    box.addEventListener('progress-polling:action', (event) => events.push((event as CustomEvent).detail))
    const { widget } = await mount([waiting])
    named('Replace them').click()
    named('Replace them').click()
    await until(() => expect(events).toEqual([{ action: 'respond', choice: 'replace', status: 202, body: { ok: 1 } }]))
    await expect(widget.respond('keep')).resolves.toEqual({ ok: 1 })
    expect(events).toHaveLength(2)
    widget.destroy()
  })

  it('writes labels and questions from the server as text only', async () => {
    const hostile = '<img src=x onerror="window.hacked=1">'
    const { widget } = await mount([{ ...waiting, prompt: hostile, choices: [{ id: hostile, label: hostile }] }])
    expect(box.querySelector('.pp-prompt')?.textContent).toBe(hostile)
    expect(buttons()[0]?.textContent).toBe(hostile)
    expect(box.querySelector('img')).toBeNull()
    widget.destroy()
  })

  it('shows no buttons, and warns nothing is lost, when the answers have nowhere to go', async () => {
    serveJob('/jobs/j1/', [{ ...waiting, job_id: undefined }])
    const widget = new ProgressPolling(box, `${ORIGIN}/jobs/j1/`, { pollInterval: 60_000, cancelUrl: '/x/{id}' })
    await until(() => expect(box.querySelector('.pp-prompt')?.textContent).toBe(waiting.prompt))
    expect(buttons()).toEqual([])
    widget.destroy()
  })
})

describe('cancel', () => {
  const running = { status: 'running', job_id: 'j1', progress: 30 }

  it('asks first; "No" takes it back, Escape too, and "Yes" sends it', async () => {
    const bodies = servePost('/jobs/j1/cancel/')
    const { widget } = await mount([running, { status: 'cancelled', job_id: 'j1' }])
    named('Cancel job').focus()
    named('Cancel job').click()
    await until(() =>
      expect(box.querySelector('.pp-prompt')?.textContent).toBe('Cancel this job? The work in progress may be lost.'),
    )
    expect(buttons().map((b) => b.textContent)).toEqual(['Yes, cancel it', 'No, keep it'])
    expect(document.activeElement?.textContent).toBe('No, keep it')
    named('No, keep it').click()
    await until(() => expect(buttons().map((b) => b.textContent)).toEqual(['Cancel job']))
    expect(document.activeElement?.textContent).toBe('Cancel job')
    named('Cancel job').click()
    box.querySelector('.pp-actions')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await until(() => expect(buttons().map((b) => b.textContent)).toEqual(['Cancel job']))
    expect(bodies).toEqual([])
    named('Cancel job').click()
    named('Yes, cancel it').click()
    await expect(widget.done).rejects.toThrow('cancelled')
    expect(bodies).toEqual([''])
    expect(box.querySelector('.progress-polling')?.getAttribute('data-status')).toBe('cancelled')
    expect(buttons()).toEqual([])
  })

  it('sends at the first click with confirmCancel: false, then waits for the job to stop', async () => {
    const bodies = servePost('/jobs/j1/cancel/')
    const { widget } = await mount([running], { confirmCancel: false })
    named('Cancel job').click()
    await until(() => expect(notice()).toBe('Cancel requested. Waiting for the job to stop…'))
    expect(bodies).toEqual([''])
    expect(buttons()).toEqual([])
    widget.destroy()
  })
})

describe('retry', () => {
  it('is offered after a failure; the new job is followed as a new run', async () => {
    servePost('/jobs/j1/retry/', () => new Response(null, { status: 201, headers: { Location: '/jobs/j9/' } }))
    serveJob('/jobs/j9/', [{ status: 'running', progress: 5 }])
    const onStart = vi.fn()
    const { widget } = await mount([{ status: 'failed', job_id: 'j1', error: 'Disk full' }], { onStart })
    expect(buttons().map((b) => [b.textContent, b.getAttribute('data-kind')])).toEqual([['Retry', 'primary']])
    named('Retry').click()
    await until(() => expect(box.querySelector('.progress-polling')?.getAttribute('data-status')).toBe('running'))
    expect(widget.url).toBe(`${ORIGIN}/jobs/j9/`)
    expect(onStart).toHaveBeenCalledTimes(2)
    expect(box.querySelector('.pp-message')?.textContent).not.toContain('Disk full')
    widget.destroy()
  })
})

describe('in French', () => {
  it('names the buttons and says what happened in the widget’s language; labels still win', async () => {
    servePost('/jobs/j1/cancel/')
    const { widget } = await mount([{ status: 'running', job_id: 'j1', progress: 30 }], {
      locale: 'fr',
      labels: { cancelNo: 'Non merci' },
    })
    expect(buttons().map((b) => b.textContent)).toEqual(['Annuler la tâche'])
    named('Annuler la tâche').click()
    await until(() => expect(buttons().map((b) => b.textContent)).toEqual(['Oui, l’annuler', 'Non merci']))
    expect(box.querySelector('.pp-prompt')?.textContent).toMatch(/^Annuler cette tâche\s\?/)
    named('Oui, l’annuler').click()
    await until(() => expect(notice()).toBe('Annulation demandée. En attente de l’arrêt de la tâche…'))
    widget.destroy()
  })
})

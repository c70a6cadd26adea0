import { after } from '../env/timers'
import type { HttpError, InvalidResponseError, ProgressPollingError } from '../errors'
import type { Labels } from '../i18n/en'
import { fill, type Words } from '../i18n/intl'
import type { JobSnapshot } from '../snapshot/types'
import { attribute, element, style, text, visibility, whenChanged } from './dom'

/** The root class every rule of the stylesheet is scoped under. */
const ROOT_CLASS = 'progress-polling'

export interface ViewOptions {
  title: string
  icon: string
  showDetails: boolean
  showStats: boolean
  /** `'compact'`: one job in a line and a bar (a tray's row). */
  variant: 'default' | 'compact'
  words: Words
  /** A stage's own name, by the server's name for it. */
  stageLabels: Record<string, string>
  /** The page's own words for a reached limit, if it gave some. */
  timeoutMessage?: string
  /** The time between two answers: the bar moves at a steady pace over it. */
  pollInterval?: number
  /** `false` in a jobs tray's row: the tray's one live region speaks for it. */
  live?: boolean
}

/** What the view shows: the snapshot, and why polling gave up when it did. */
export type Shown = JobSnapshot & { problem?: ProgressPollingError }

export interface View {
  readonly root: HTMLElement
  /** Writes the parts of `shown` that differ from what is on screen, and nothing else. */
  render(shown: Shown): void
  /** Stops the countdown of a retry, if one runs. */
  destroy(): void
}

// Element ids count on from one counter per page, whichever copy of the library (the script
// tag, an npm bundle) makes the widget.
const IDS = Symbol.for('progress-polling.ids')
const counter = globalThis as { [IDS]?: number }

/**
 * What a person is told when polling gave up, by what went wrong: the status beside the
 * title, and the message. The technical account stays on the error (and the message's
 * `title`).
 */
function lostWords(labels: Labels, error: ProgressPollingError | undefined, timeoutMessage?: string): [string, string] {
  const cause = error?.name === 'RetryLimitError' ? (error.cause as ProgressPollingError | undefined) : error
  const status = (cause as HttpError | undefined)?.status
  switch (cause?.name) {
    case 'JobVanishedError':
      return [labels.notFound, labels.vanished]
    case 'HttpError':
      if (status === 404 || status === 410) return [labels.notFound, labels.vanished]
      return [
        labels.lost,
        status === 401 || status === 403 ? labels.denied : fill(labels.serverError, { status: status ?? '' }),
      ]
    case 'InvalidResponseError':
      return [
        labels.unreadable,
        /html/i.test((cause as InvalidResponseError).contentType) ? labels.signIn : labels.unreadableMessage,
      ]
    case 'PollingLimitError':
      return [labels.lost, timeoutMessage ?? labels.tooLong]
    case 'JobUnlistedError':
      return [labels.unlisted, labels.unlistedMessage]
  }
  return [labels.lost, labels.unreachable]
}

/**
 * Builds the widget's elements once. Each later `render` goes through writers that
 * compare with what they last wrote, so an unchanged field costs no DOM write.
 */
export function createView(options: ViewOptions): View {
  const { words, title, stageLabels } = options
  const { labels } = words
  const root = element('div', ROOT_CLASS)
  if (options.variant === 'compact') root.setAttribute('data-variant', 'compact')
  if (options.pollInterval) root.style.setProperty('--pp-duration', `${Math.min(options.pollInterval, 2000)}ms`)
  const header = element('div', 'pp-header', root)
  // The status icon, drawn by the stylesheet from `data-status` and `data-connection`.
  element('span', 'pp-state', header, { 'aria-hidden': 'true' })
  if (options.icon) element('span', 'pp-icon', header, { 'aria-hidden': 'true' }).textContent = options.icon
  counter[IDS] = (counter[IDS] ?? 0) + 1
  const id = `progress-polling-${counter[IDS]}`
  const heading = element('span', 'pp-title', header, { id, title })
  heading.textContent = title
  const status = element('span', 'pp-label', header)

  const row = element('div', 'pp-row', root)
  const bar = element('div', 'pp-bar', row, {
    role: 'progressbar',
    'aria-valuemin': '0',
    'aria-valuemax': '100',
    [title ? 'aria-labelledby' : 'aria-label']: title ? id : labels.progress,
  })
  const barFill = element('div', 'pp-fill', bar)
  const percentText = element('span', 'pp-percent', row, { 'aria-hidden': 'true' })

  /** `compute(s)`, worked out again only when `key(s)` changes: formatting is what a render costs. */
  const memo = <T>(key: (s: Shown) => string, compute: (s: Shown) => T) => {
    let last: string | undefined
    let value: T
    return (s: Shown) => {
      const k = key(s)
      if (k !== last) {
        last = k
        value = compute(s)
      }
      return value
    }
  }
  const writers: ((s: Shown) => void)[] = []
  const on = <T>(read: (s: Shown) => T, write: (value: T) => void) => writers.push((s) => write(read(s)))

  // A retry's countdown: the view renders itself again each second until the next try.
  let shown: Shown
  let retryAt = 0
  let stopTicking = () => {}
  const tick = () => {
    const left = retryAt - Date.now()
    stopTicking = left > 0 ? after(left % 1000 || 1000, tick) : () => {}
    view.render(shown)
  }
  on(
    (s) => s.retry,
    whenChanged((retry) => {
      stopTicking()
      if (!retry) return
      retryAt = Date.now() + retry.delayMs
      stopTicking = after(retry.delayMs % 1000 || 1000, tick)
    }),
  )
  const countdown = () => {
    const left = Math.ceil((retryAt - Date.now()) / 1000)
    return left > 0 ? fill(labels.retrying, { time: words.duration(left * 1000) }) : labels.retryingNow
  }

  /** What a connection problem looks like: the status and the message, or nothing when all is well. */
  const trouble = memo(
    (s) => `${s.connection} ${s.problem?.message}`,
    ({ connection, problem }): [string, string] | undefined =>
      connection === 'retrying'
        ? [labels.reconnecting, '']
        : connection === 'paused'
          ? [labels.paused, labels.pausedMessage]
          : connection === 'lost'
            ? lostWords(labels, problem, options.timeoutMessage)
            : undefined,
  )

  on((s) => s.status, attribute(root, 'data-status'))
  on((s) => s.connection ?? null, attribute(root, 'data-connection'))
  on((s) => (s.percent === null && !s.terminal ? '' : null), attribute(root, 'data-indeterminate'))
  on((s) => (s.attempt ? String(s.attempt.number) : null), attribute(root, 'data-attempt'))
  // A stage's name may have its own label: `stageLabels: { indexing: 'Indexing the video' }`;
  // else the server's name is written in sentence case (`generating_thumbnails` → `Generating thumbnails`).
  const stage = (name: string) =>
    Object.hasOwn(stageLabels, name)
      ? (stageLabels[name] as string)
      : name.charAt(0).toLocaleUpperCase(words.locale) + name.slice(1).replace(/_/g, ' ')
  const took = { succeeded: labels.succeededIn, failed: labels.failedAfter, cancelled: labels.cancelledAfter }
  const label = memo(
    (s) =>
      `${trouble(s)?.[0]} ${s.status} ${s.step} ${s.attempt?.number} ${s.attempt?.of} ${s.steps?.length} ${s.terminal && s.elapsedMs}`,
    (s) => {
      const { attempt, status, step, steps, elapsedMs } = s
      const problem = trouble(s)
      if (problem) return problem[0]
      if (attempt) return fill(attempt.of ? labels.attemptOf : labels.attempt, attempt)
      if (status === 'running' && step) {
        const at = steps?.indexOf(step) ?? -1
        return at < 0 ? stage(step) : fill(labels.stage, { stage: stage(step), number: at + 1, of: steps?.length ?? 0 })
      }
      if (s.terminal && elapsedMs !== undefined)
        return fill(took[status as keyof typeof took], { time: words.duration(elapsedMs) })
      return labels[status]
    },
  )
  on(label, text(status))
  on(label, attribute(status, 'title'))
  on((s) => `${s.percent ?? 0}%`, style(barFill, '--pp-percent'))
  const rounded = (s: JobSnapshot) => (s.percent === null ? null : Math.floor(s.percent))
  on((s) => (rounded(s) === null ? null : String(rounded(s))), attribute(bar, 'aria-valuenow'))
  on(
    memo(
      (s) => `${rounded(s)} ${s.processed} ${s.total}`,
      (s) => {
        const percent = rounded(s)
        if (percent === null) return labels.indeterminate
        const template = s.total !== undefined && s.processed !== undefined ? labels.valueTextCount : labels.valueText
        return fill(template, {
          percent: words.percent(percent),
          processed: words.number(s.processed ?? 0),
          total: words.number(s.total ?? 0),
        })
      },
    ),
    attribute(bar, 'aria-valuetext'),
  )
  on((s) => (rounded(s) === null ? '' : words.percent(rounded(s) as number)), text(percentText))

  // The stepper of a stage-based job: the list is rebuilt only when the stages change, and
  // the marks only when the current stage (or the list) does.
  const stepper = element('ol', 'pp-steps', root, { 'aria-label': labels.steps })
  const showStepper = visibility(stepper)
  let items: HTMLLIElement[] = []
  let builds = 0
  on(
    (s) => (s.steps ?? []).join('\n'),
    whenChanged((names: string) => {
      items = (names ? names.split('\n') : []).map((name) => {
        const item = element('li', 'pp-step', undefined, { title: stage(name) })
        item.textContent = stage(name)
        return item
      })
      stepper.replaceChildren(...items)
      showStepper(items.length > 0)
      builds++
    }),
  )
  let marked = ''
  on(
    ({ steps = [], step, status }) =>
      status === 'succeeded' ? steps.length : step === undefined ? -1 : steps.indexOf(step),
    (at) => {
      if (`${builds} ${at}` === marked) return
      marked = `${builds} ${at}`
      items.forEach((item, index) => {
        item.setAttribute('data-state', index < at ? 'done' : index === at ? 'current' : 'upcoming')
        if (index === at) item.setAttribute('aria-current', 'step')
        else item.removeAttribute('aria-current')
      })
    },
  )

  // The statistics: one line of parts that each apply to the state, wrapping between parts.
  if (options.showDetails) {
    const line = element('p', 'pp-stats', root)
    const show = visibility(line)
    const parts = ['count', 'failures', 'elapsed', 'eta'].map((name) => {
      const part = element('span', `pp-${name}`, line)
      return { show: visibility(part), write: text(part) }
    })
    on(
      memo(
        (s) =>
          `${s.total} ${s.processed} ${s.failed} ${s.elapsedMs} ${s.etaMs} ${s.status} ${s.connection} ${!!s.attempt}`,
        ({ processed, total, failed, elapsedMs, etaMs, status, terminal, connection, attempt }) => {
          const time = (template: string, ms: number | undefined) =>
            ms === undefined ? '' : fill(template, { time: words.duration(ms) })
          return [
            processed !== undefined && total !== undefined
              ? fill(labels.processedOf, { processed: words.number(processed), total: words.number(total) })
              : processed !== undefined
                ? words.count('processed', processed)
                : total !== undefined
                  ? words.count('items', total)
                  : '',
            failed ? words.count('failedItems', failed) : '',
            // A finished job says how long it took beside its status.
            terminal ? '' : time(labels.elapsed, elapsedMs),
            // A time left only while the job is seen to move.
            status === 'running' && !connection && !attempt ? time(labels.eta, etaMs) : '',
          ]
        },
      ),
      whenChanged((values: string[]) => {
        values.forEach((value, n) => {
          const part = parts[n] as (typeof parts)[number]
          part.show(value !== '')
          part.write(value)
        })
        show(values.some(Boolean))
      }),
    )
  }

  if (options.showStats) {
    const line = element(
      'p',
      'pp-message',
      root,
      options.live === false ? {} : { role: 'status', 'aria-live': 'polite' },
    )
    const message = (s: Shown) =>
      s.connection === 'retrying'
        ? countdown()
        : (trouble(s)?.[1] ?? (s.error?.message || s.attempt?.reason || s.message || ''))
    const writeText = text(line)
    // A long message is clamped to a few lines; focusing it (a tap, a click, Tab) shows it all.
    const focusable = attribute(line, 'tabindex')
    on(message, (value) => {
      writeText(value)
      focusable(value.length > 160 ? '0' : null)
    })
    // The technical account of a connection problem, for whoever looks closer.
    on((s) => (s.connection === 'lost' && s.problem ? s.problem.message : null), attribute(line, 'title'))
  }

  const view: View = {
    root,
    render(s) {
      shown = s
      for (const write of writers) write(s)
    },
    destroy: () => stopTicking(),
  }
  view.render({ status: 'pending', terminal: false, percent: null, raw: undefined })
  return view
}

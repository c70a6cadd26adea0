import type { JobSnapshot } from '../snapshot/types'
import { attribute, element, style, text, visibility, whenChanged } from './dom'
import { formatDuration, formatNumber } from './format'
import { fill, type Labels } from './labels'

/** The root class every rule of the stylesheet is scoped under. */
const ROOT_CLASS = 'progress-polling'

export interface ViewOptions {
  title: string
  icon: string
  showDetails: boolean
  showStats: boolean
  labels: Labels
  /** A stage's own name, by the server's name for it. */
  stageLabels: Record<string, string>
}

/** What the view shows: the snapshot, and why polling gave up when it did. */
export type Shown = JobSnapshot & { problem?: string }

export interface View {
  readonly root: HTMLElement
  /** Writes the parts of `shown` that differ from what is on screen, and nothing else. */
  render(shown: Shown): void
}

// Element ids count on from one counter per page, whichever copy of the library (the script
// tag, an npm bundle) makes the widget.
const IDS = Symbol.for('progress-polling.ids')
const counter = globalThis as { [IDS]?: number }

const STATS = ['total', 'processed', 'remaining', 'failedItems', 'elapsed', 'eta'] as const
type Stat = (typeof STATS)[number]

function statValues(s: JobSnapshot, labels: Labels): Record<Stat, string | undefined> {
  const count = (n: number | undefined) => (n === undefined ? undefined : formatNumber(n))
  const time = (ms: number | undefined) => (ms === undefined ? undefined : formatDuration(ms, labels))
  const remaining = s.total !== undefined && s.processed !== undefined ? Math.max(0, s.total - s.processed) : undefined
  return {
    total: count(s.total),
    processed: count(s.processed),
    remaining: count(remaining),
    failedItems: count(s.failed),
    elapsed: time(s.elapsedMs),
    // A time left is only worth showing while the job is reached.
    eta: s.connection ? undefined : time(s.etaMs),
  }
}

/**
 * Builds the widget's elements once. Each later `render` goes through writers that
 * compare with what they last wrote, so an unchanged field costs no DOM write.
 */
export function createView(options: ViewOptions): View {
  const { labels, title, stageLabels } = options
  const root = element('div', ROOT_CLASS)
  const header = element('div', 'pp-header', root)
  if (options.icon) element('span', 'pp-icon', header, { 'aria-hidden': 'true' }).textContent = options.icon
  counter[IDS] = (counter[IDS] ?? 0) + 1
  const id = `progress-polling-${counter[IDS]}`
  element('span', 'pp-title', header, { id }).textContent = title
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
  const memo = <T>(key: (s: JobSnapshot) => string, compute: (s: JobSnapshot) => T) => {
    let last: string | undefined
    let value: T
    return (s: JobSnapshot) => {
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

  on((s) => s.status, attribute(root, 'data-status'))
  on((s) => s.connection ?? null, attribute(root, 'data-connection'))
  on((s) => (s.percent === null && !s.terminal ? '' : null), attribute(root, 'data-indeterminate'))
  // A stage's name may have its own label: `stageLabels: { indexing: 'Indexing the video' }`.
  const stage = (name: string) => (Object.hasOwn(stageLabels, name) ? (stageLabels[name] as string) : name)
  on((s) => (s.attempt ? String(s.attempt.number) : null), attribute(root, 'data-attempt'))
  on(
    ({ connection, attempt, status, step }) =>
      connection === 'lost'
        ? labels.lost
        : attempt
          ? fill(attempt.of ? labels.attemptOf : labels.attempt, attempt)
          : status === 'running' && step
            ? stage(step)
            : labels[status],
    text(status),
  )
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
        return fill(template, { percent, processed: formatNumber(s.processed ?? 0), total: formatNumber(s.total ?? 0) })
      },
    ),
    attribute(bar, 'aria-valuetext'),
  )
  on((s) => (rounded(s) === null ? '' : `${rounded(s)}%`), text(percentText))

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
        const item = element('li', 'pp-step')
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

  if (options.showDetails) {
    const list = element('dl', 'pp-stats', root)
    const stats = STATS.map((name) => {
      const item = element('div', `pp-stat pp-stat-${name}`, list)
      element('dt', '', item).textContent = labels[name]
      return { name, show: visibility(item), value: text(element('dd', '', item)) }
    })
    on(
      memo(
        (s) => `${s.total} ${s.processed} ${s.failed} ${s.elapsedMs} ${s.etaMs} ${s.connection}`,
        (s) => statValues(s, labels),
      ),
      whenChanged((values) => {
        for (const { name, show, value } of stats) {
          show(values[name] !== undefined)
          value(values[name] ?? '')
        }
      }),
    )
  }

  if (options.showStats) {
    const line = element('p', 'pp-message', root, { role: 'status', 'aria-live': 'polite' })
    on(
      ({ retry, error, attempt, message, terminal, status, problem }) =>
        problem ??
        (retry
          ? fill(labels.retrying, { ...retry, seconds: Math.ceil(retry.delayMs / 1000) })
          : error?.message || attempt?.reason || message || (terminal ? labels[status] : '')),
      text(line),
    )
  }

  const view: View = {
    root,
    render(snapshot) {
      for (const write of writers) write(snapshot)
    },
  }
  view.render({ status: 'pending', terminal: false, percent: null, raw: undefined })
  return view
}

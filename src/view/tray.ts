// The jobs tray: many jobs at once in a corner of the page (or in a container), each in a
// compact row, with a counter that collapses the stack, one live region for all of them,
// and an optional list endpoint that feeds every listed job with one request.
import { resolveOptions, splitOptions } from '../core/options'
import { type JobSource, resolveUrl } from '../core/source'
import { presence } from '../env/presence'
import { after } from '../env/timers'
import { formatNames } from '../formats/index'
import { fill, language, localeOf } from '../i18n/intl'
import { type TrayLabels, trayLabels, trayTables } from '../i18n/tray'
import type { JobSnapshot } from '../snapshot/types'
import { pageStore } from '../store/job-store'
import { followList, type List } from '../store/list'
import { attribute, element, text, visibility } from './dom'
import type { ProgressPollingOptions } from './options'
import { AWAY, pageTrays, restoreJobs } from './restore'
import { type ContainerInput, ProgressPolling, QUIET } from './widget'

/** Options of a `ProgressTray`: its own, and any job option as the default for its jobs. */
export interface ProgressTrayOptions extends ProgressPollingOptions {
  /**
   * The corner the tray is fixed in; `start` and `end` follow the page's direction.
   * @default 'bottom-end'
   */
  position?: 'bottom-end' | 'bottom-start' | 'top-end' | 'top-start'
  /**
   * Mount the tray in this element (or element id, or selector), in the page's flow, instead
   * of a fixed corner.
   * @default none
   */
  container?: ContainerInput
  /**
   * A list endpoint: a JSON array of jobs (or an object with one under `jobs`, `results`,
   * `data` or `items`), each with an id and a status in any format. One request updates
   * every listed job; the list is polled while one is pending, running or waiting.
   * @default none
   */
  listUrl?: string
  /**
   * Milliseconds between two requests of the list.
   * @default 2000
   */
  listInterval?: number
  /**
   * Milliseconds a succeeded job stays before it leaves (never while the tab is hidden or
   * the pointer or focus is on the tray). Failed and waiting jobs stay until closed.
   * @default 5000
   */
  leaveAfter?: number
  /**
   * Jobs shown before a "+N more" row; running and waiting jobs are always shown.
   * @default Infinity
   */
  max?: number
  /**
   * A finished job's result: a URL template with `{id}`, or a function of the snapshot that
   * returns a URL (or nothing). Its row gets a "See the result" link.
   * @default none
   */
  resultUrl?: string | ((snapshot: JobSnapshot, id: string | undefined) => string | undefined)
  /**
   * Called when "See the result" is pressed, instead of a link: the row shows a button.
   * @default none
   */
  onResult?: (snapshot: JobSnapshot, job: ProgressPolling) => void
  /** The tray's and its jobs' strings. */
  labels?: ProgressPollingOptions['labels'] & Partial<TrayLabels>
}

interface Row {
  job: ProgressPolling
  id?: string
  item: HTMLLIElement
  title: string
  /** Stopped from the tray: followed no longer. */
  stopped?: boolean
  /** Saved, and ended while no page watched it: it stays until closed. */
  away?: boolean
  /** What the live region last said of it. */
  said: string
  /** A succeeded job's removal: when it is due, or the time left while the tray holds it. */
  leaveAt?: number
  left?: number
  cancelLeave?: () => void
  result?: HTMLElement
  close: HTMLButtonElement
  /** The row's writers: they touch the DOM only when the value changes. */
  state: (value: string | null) => void
  closable: (shown: boolean) => void
  shown: (shown: boolean) => void
}

/** Set by a `[data-progress-tray]` element on its tray's options: the tray goes in it, in its corner. */
export const HOST = Symbol.for('progress-polling.tray-host')

const CORNERS = /^(bottom|top)-(end|start)$/
const TRAY_OPTIONS = [
  'position',
  'container',
  'listUrl',
  'listInterval',
  'leaveAfter',
  'max',
  'resultUrl',
  'onResult',
] as const

/**
 * Many jobs at once, in a corner of the page: `add(source, options)` puts a job in it, and a
 * `listUrl` feeds every job a list endpoint returns.
 * @example
 * const tray = new ProgressTray({ listUrl: '/api/sessions/42/jobs/', url: '/jobs/{id}/' })
 * tray.add('/jobs/43/', { title: 'Import' })
 */
export class ProgressTray {
  /** The tray's element. */
  readonly root: HTMLElement
  readonly #options: ProgressTrayOptions
  readonly #jobOptions: ProgressPollingOptions
  /** The row of each row's element. */
  readonly #rowOf = new WeakMap<Element, Row>()
  readonly #rows: Row[] = []
  readonly #labels: TrayLabels
  readonly #list?: List
  readonly #teardown: (() => void)[] = []
  readonly #counter: HTMLButtonElement
  readonly #count: (value: string) => void
  readonly #problem: (value: string) => void
  readonly #listProblem: (value: string | null) => void
  readonly #active: (value: string | null) => void
  readonly #stack: HTMLOListElement
  readonly #more: HTMLButtonElement
  readonly #live: HTMLElement
  /** What the live region will say at the end of this turn. */
  #said: string[] = []
  readonly #plural: Intl.PluralRules
  #showAll = false
  #stoppedAll = false
  #paused = 0
  #queued = false
  #destroyed = false

  constructor(options: ProgressTrayOptions = {}) {
    // The tray's own options, and the rest: the defaults of its jobs.
    const jobOptions: Record<string, unknown> = { ...options }
    // `title` is the tray's own name, not its jobs'.
    for (const key of [...TRAY_OPTIONS, 'title']) delete jobOptions[key]
    this.#jobOptions = jobOptions as ProgressPollingOptions
    // The job options are checked now, once, so that a mistake says so here.
    const checked = resolveOptions(this.#jobOptions, formatNames())
    const position = options.position ?? 'bottom-end'
    if (!CORNERS.test(position)) {
      throw new TypeError(
        `progress-polling: the \`position\` option must be 'bottom-end', 'bottom-start', 'top-end' or 'top-start', got ${JSON.stringify(position)}`,
      )
    }
    for (const key of ['listInterval', 'leaveAfter', 'max'] as const) {
      const value = options[key]
      if (value !== undefined && !(typeof value === 'number' && value >= (key === 'listInterval' ? 1 : 0))) {
        throw new RangeError(
          `progress-polling: the \`${key}\` option must be a number of ${key === 'max' ? 'jobs' : 'milliseconds'}, got ${JSON.stringify(value)}`,
        )
      }
    }
    if (options.listUrl !== undefined && typeof options.listUrl !== 'string') {
      throw new TypeError(`progress-polling: the \`listUrl\` option must be a string, got ${typeof options.listUrl}`)
    }
    this.#options = options
    let host: HTMLElement = (options as { [HOST]?: HTMLElement })[HOST] ?? document.body
    if (options.container !== undefined) {
      const found =
        typeof options.container === 'string'
          ? document.querySelector<HTMLElement>(
              /^[\w-]+$/.test(options.container) ? `#${options.container}` : options.container,
            )
          : options.container
      if (!found) {
        throw new TypeError(
          `progress-polling: no container ${JSON.stringify(options.container)} for the tray: pass an element, an element id or a CSS selector of an element that exists`,
        )
      }
      host = found
    }
    const locale = localeOf(checked.locale, host)
    this.#labels = { ...(trayTables[language(locale)] ?? trayLabels), ...(checked.labels as Partial<TrayLabels>) }
    this.#plural = new Intl.PluralRules(locale)
    const labels = this.#labels

    const root = element('section', 'pp-tray', undefined, {
      'aria-label': options.title || labels.tray,
      'data-position': options.container === undefined ? position : 'inline',
    })
    this.root = root
    // One polite live region for every job, there before anything is said in it.
    this.#live = element('p', 'pp-tray-live', root, { role: 'status', 'aria-live': 'polite' })
    const head = element('div', 'pp-tray-head', root)
    const stackId = `pp-tray-${Math.random().toString(36).slice(2)}`
    this.#counter = element('button', 'pp-tray-counter', head, {
      type: 'button',
      'aria-expanded': 'true',
      'aria-controls': stackId,
    })
    element('span', 'pp-tray-dot', this.#counter, { 'aria-hidden': 'true' })
    this.#count = text(element('span', 'pp-tray-count', this.#counter))
    this.#problem = text(element('span', 'pp-tray-problem', this.#counter))
    this.#listProblem = attribute(root, 'data-list-problem')
    this.#active = attribute(root, 'data-active')
    this.#stack = element('ol', 'pp-tray-stack', root, { id: stackId })
    const moreItem = element('li', 'pp-tray-more')
    this.#more = element('button', 'pp-button', moreItem, { type: 'button' })
    this.#more.addEventListener('click', () => {
      this.#showAll = true
      this.#layout()
      this.#rows[0]?.item.querySelector<HTMLElement>('button, a')?.focus()
    })

    this.#counter.addEventListener('click', () => this.#expand(this.#counter.getAttribute('aria-expanded') !== 'true'))
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.#counter.getAttribute('aria-expanded') === 'true') {
        event.stopPropagation()
        this.#expand(false)
      }
    })
    // Nobody misses an end they did not see: a succeeded job's removal waits while the tab is
    // hidden or the pointer or the focus is on the tray.
    const hold = (on: boolean) => {
      this.#paused += on ? 1 : -1
      this.#schedule()
    }
    let pointer = false
    let focus = false
    const set = (which: 'pointer' | 'focus', on: boolean) => {
      const before = which === 'pointer' ? pointer : focus
      if (before === on) return
      if (which === 'pointer') pointer = on
      else focus = on
      hold(on)
    }
    root.addEventListener('pointerenter', () => set('pointer', true))
    root.addEventListener('pointerleave', () => set('pointer', false))
    root.addEventListener('focusin', () => set('focus', true))
    root.addEventListener('focusout', (event) => set('focus', root.contains(event.relatedTarget as Node | null)))
    let hidden = !presence().visible()
    if (hidden) this.#paused++
    this.#teardown.push(
      presence().subscribe(() => {
        const now = !presence().visible()
        if (now === hidden) return
        hidden = now
        hold(now)
        // The page is back: the list may have stopped while nothing was active.
        if (!now && !this.#stoppedAll) this.refresh()
      }),
    )
    // The announcements of the rows, by the events their widgets send.
    const onEvent = (event: Event) => {
      const item = (event.target as Element).closest('.pp-tray-row')
      const row = item && this.#rowOf.get(item)
      if (!row) return
      if (event.type === 'progress-polling:start' && !row.title) this.#titleFromList(row)
      this.#announce(row)
      this.#queueLayout()
    }
    for (const type of ['start', 'progress', 'complete', 'error'])
      root.addEventListener(`progress-polling:${type}`, onEvent)

    host.append(root)
    if (options.listUrl) {
      const { spec, hooks } = splitOptions(options.listUrl, checked as never)
      this.#list = followList(pageStore, {
        url: options.listUrl,
        interval: options.listInterval ?? 2000,
        spec,
        hooks,
        template: checked.url,
        onJob: (id, url) => {
          // A job the page added itself is the same row.
          // Listed jobs are not saved: the list has them again after a reload.
          const row = this.#rows.find((r) => r.job.url === url) ?? this.#addRow(url, { persist: false })
          row.id = id
          // Listed again after stopAll() and refresh(): followed again, from the list.
          if (row.stopped) {
            row.stopped = false
            row.job.restart()
          }
        },
        onState: ({ snapshot, ended }) => {
          const connection = ended?.error ? 'lost' : snapshot?.connection
          this.#problem(connection === 'retrying' ? labels.listRetrying : connection === 'lost' ? labels.listLost : '')
          this.#listProblem(connection === 'retrying' || connection === 'lost' ? '' : null)
        },
      })
    }
    pageTrays().push(this)
    // A tray that saves its jobs follows the ones it saved before this page.
    if (checked.persist) restoreJobs({}, this)
    this.#layout()
  }

  /** Marks the row of `url` as finished while away (`false`: the tray has none). */
  [AWAY](url: string): boolean {
    const row = this.#rows.find((r) => r.job.url === url)
    if (!row) return false
    row.away = true
    const note = element('p', 'pp-tray-result pp-tray-away')
    note.textContent = this.#labels.away
    row.item.insertBefore(note, row.result ?? row.close)
    row.cancelLeave?.()
    this.#layout()
    return true
  }

  /** Every job in the tray, also those behind "+N more", oldest first. */
  get jobs(): ProgressPolling[] {
    return this.#rows.map((row) => row.job)
  }

  /**
   * Puts a job in the tray: its status URL, or its id with the `url` template, and its own
   * options over the tray's. Returns its widget. A job already in the tray is not added twice.
   */
  add(source: JobSource, options: ProgressPollingOptions = {}): ProgressPolling {
    if (this.#destroyed) throw new Error('progress-polling: add() after destroy(); create a new ProgressTray instead')
    const merged = { ...this.#jobOptions, ...options }
    const url = resolveUrl(source, resolveOptions(merged, formatNames()).url)
    const existing = this.#rows.find((row) => row.job.url === url)
    if (existing) return existing.job
    const row = this.#addRow(source, merged)
    this.refresh()
    return row.job
  }

  /** Stops following one job: its row stays as it is, with its close button. */
  stop(job: ProgressPolling): void {
    const row = this.#rows.find((r) => r.job === job)
    if (row) row.stopped = true
    job.stop()
    this.#layout()
  }

  /** Stops following every job, and the list endpoint. */
  stopAll(): void {
    // Until `refresh()` or `add()`: the page's return does not start the list again.
    this.#stoppedAll = true
    this.#list?.stop()
    for (const row of this.#rows) {
      row.stopped = true
      row.job.stop()
    }
    this.#layout()
  }

  /** Takes a job out of the tray (it stops unless something else follows it). */
  remove(job: ProgressPolling): void {
    const row = this.#rows.find((r) => r.job === job)
    if (!row) return
    const focused = row.item.contains(document.activeElement)
    row.cancelLeave?.()
    // Closed on purpose: a saved job is forgotten.
    row.job.stop()
    row.job.destroy()
    row.item.remove()
    this.#rows.splice(this.#rows.indexOf(row), 1)
    if (row.id !== undefined) this.#list?.forget(row.id)
    // The focus stays in the tray: on the counter, when it was on the row that left.
    if (focused) this.#counter.focus()
    this.root.dispatchEvent(new CustomEvent('progress-polling:removed', { bubbles: true, detail: job }))
    this.#layout()
  }

  /** Asks the list endpoint (and every job) now, and polls the list again if it had stopped. */
  refresh(): void {
    this.#stoppedAll = false
    this.#list?.refresh()
  }

  /** Stops everything, clears every timer and listener, and removes the tray. Safe to call twice. */
  destroy(): void {
    if (this.#destroyed) return
    this.#destroyed = true
    this.#list?.stop()
    for (const row of [...this.#rows]) {
      row.cancelLeave?.()
      row.job.destroy()
    }
    this.#rows.length = 0
    for (const teardown of this.#teardown) teardown()
    const trays = pageTrays()
    if (trays.includes(this)) trays.splice(trays.indexOf(this), 1)
    this.root.remove()
  }

  #addRow(source: JobSource, options: ProgressPollingOptions): Row {
    const labels = this.#labels
    const item = element('li', 'pp-tray-row')
    this.#stack.insertBefore(
      item,
      this.#more.parentElement?.parentElement === this.#stack ? (this.#more.parentElement as Node) : null,
    )
    const slot = element('div', 'pp-tray-job', item)
    const job = new ProgressPolling(slot, source, {
      ...this.#jobOptions,
      ...options,
      variant: 'compact',
      [QUIET]: true,
    } as ProgressPollingOptions)
    const title = options.title ?? ''
    const close = element('button', 'pp-tray-close', item, {
      type: 'button',
      'aria-label': fill(labels.close, { title: title || fill(labels.untitled, { id: String(source) }) }),
    })
    close.textContent = '×'
    const row: Row = {
      job,
      item,
      title,
      said: '',
      close,
      state: attribute(item, 'data-state'),
      closable: visibility(close),
      shown: visibility(item),
    }
    close.addEventListener('click', () => this.remove(job))
    this.#rows.push(row)
    this.#rowOf.set(item, row)
    this.root.dispatchEvent(new CustomEvent('progress-polling:added', { bubbles: true, detail: job }))
    this.#queueLayout()
    return row
  }

  /** A listed job's title, from its `title` or `name`, when the page gave none. */
  #titleFromList(row: Row): void {
    const raw = Object(row.job.snapshot?.raw) as Record<string, unknown>
    const named = typeof raw.title === 'string' ? raw.title : typeof raw.name === 'string' ? raw.name : ''
    if (!named) return
    row.title = named
    const title = row.item.querySelector('.pp-title')
    if (title) {
      title.textContent = named
      title.setAttribute('title', named)
    }
    row.close.setAttribute('aria-label', fill(this.#labels.close, { title: named }))
  }

  /** One layout for every change of a turn: a list answer that changes a thousand jobs lays out once. */
  #queueLayout(): void {
    if (this.#queued) return
    this.#queued = true
    queueMicrotask(() => {
      this.#queued = false
      this.#layout()
    })
  }

  /** Says a job's start, end and milestones (a new status or stage), never each poll. */
  #announce(row: Row): void {
    const s = row.job.snapshot
    if (!s) return
    const key = `${s.status} ${s.step} ${s.connection === 'lost'} ${!!s.attempt}`
    if (key === row.said) return
    row.said = key
    const status = row.item.querySelector('.pp-label')?.textContent ?? ''
    const title =
      row.title || row.item.querySelector('.pp-title')?.textContent || fill(this.#labels.untitled, { id: row.id ?? '' })
    // What changes in one turn (a list answer) is said at once, three at most and a count.
    if (!this.#said.length) {
      queueMicrotask(() => {
        const all = this.#said
        this.#said = []
        const more = all.length > 3 ? [fill(this.#labels.announceMore, { n: all.length - 3 })] : []
        if (!this.#destroyed) this.#live.textContent = [...all.slice(0, 3), ...more].join('. ')
      })
    }
    this.#said.push(fill(this.#labels.announce, { title, status }))
  }

  #expand(open: boolean): void {
    const focusInside = this.#stack.contains(document.activeElement)
    this.#counter.setAttribute('aria-expanded', String(open))
    this.#stack.hidden = !open
    if (!open && focusInside) this.#counter.focus()
  }

  /** The counter, the close buttons, results, "+N more" and the removal timers, from the rows' states. */
  #layout(): void {
    if (this.#destroyed) return
    const labels = this.#labels
    let active = 0
    let waiting = 0
    const max = this.#options.max ?? Infinity
    let shown = 0
    let behind = 0
    for (const row of this.#rows) {
      const s = row.job.snapshot
      const status = s?.status ?? 'pending'
      const ended = !!s?.terminal || s?.connection === 'lost' || !!row.stopped
      if (!ended && status !== 'waiting') active++
      if (!ended && status === 'waiting') waiting++
      row.state(ended ? (status === 'succeeded' ? 'succeeded' : 'ended') : status)
      row.closable(ended || status === 'waiting')
      if (status === 'succeeded') this.#result(row, s as JobSnapshot)
      // "+N more": only ended jobs are ever behind it.
      const hide = !this.#showAll && shown >= max && ended
      row.shown(!hide)
      if (hide) behind++
      else shown++
    }
    const counted = (key: 'jobsRunning' | 'jobsWaiting', n: number) =>
      n ? fill((labels as Record<string, string>)[`${key}_${this.#plural.select(n)}`] ?? labels[key], { n }) : ''
    this.#count(
      [counted('jobsRunning', active), counted('jobsWaiting', waiting)].filter(Boolean).join(' · ') || labels.idle,
    )
    this.#active(active + waiting > 0 ? '' : null)
    const moreItem = this.#more.parentElement as HTMLElement
    if (behind) {
      this.#more.textContent = fill(labels.more, { n: behind })
      if (this.#stack.lastElementChild !== moreItem) this.#stack.append(moreItem)
    } else moreItem.remove()
    this.#schedule()
  }

  #result(row: Row, s: JobSnapshot): void {
    if (row.result) return
    const { resultUrl, onResult } = this.#options
    const url =
      typeof resultUrl === 'function'
        ? resultUrl(s, row.id)
        : resultUrl?.replace('{id}', encodeURIComponent(row.id ?? String(s.id ?? '')))
    if (onResult) {
      const button = element('button', 'pp-button pp-tray-result', undefined, { type: 'button' })
      button.textContent = this.#labels.result
      button.addEventListener('click', () => onResult(s, row.job))
      row.result = button
    } else if (url) {
      const link = element('a', 'pp-button pp-tray-result', undefined, { href: url })
      link.textContent = this.#labels.result
      row.result = link
    }
    if (row.result) row.item.insertBefore(row.result, row.close)
  }

  /** Arms the removal of each succeeded job, or holds it with its time left. */
  #schedule(): void {
    const leaveAfter = this.#options.leaveAfter ?? 5000
    const now = Date.now()
    for (const row of this.#rows) {
      if (row.job.snapshot?.status !== 'succeeded' || row.stopped || row.away) continue
      if (this.#paused > 0) {
        if (row.cancelLeave) {
          row.cancelLeave()
          row.cancelLeave = undefined
          row.left = Math.max(0, (row.leaveAt as number) - now)
        }
        row.left ??= leaveAfter
        continue
      }
      if (row.cancelLeave) continue
      row.leaveAt = now + (row.left ?? leaveAfter)
      row.left = undefined
      const job = row.job
      row.cancelLeave = after(row.leaveAt - now, () => this.remove(job))
    }
  }
}

import { type JobInit, safeCall } from '../core/job'
import { resolveOptions, splitOptions } from '../core/options'
import type { JobSource } from '../core/source'
import { after } from '../env/timers'
import type { ProgressPollingError } from '../errors'
import { formatNames } from '../formats/index'
import { fill, language, localeOf, words } from '../i18n/intl'
import type { JobSnapshot } from '../snapshot/types'
import { pageStore } from '../store/job-store'
import { clearSaved, describe } from '../store/persist'
import type { PollJob } from '../store/poll-job'
import { type Followed, follow } from '../store/poll-job'
import { attribute, element, text, visibility } from './dom'
import { defaults, type ProgressPollingOptions } from './options'
import { createView, type Shown, type View } from './render'
import { INIT, type RestoreOptions, restoreJobs, saving } from './restore'

/** Where to mount: an element, an element id (`'jauge'`), or a CSS selector (`'#jauge'`). */
export type ContainerInput = HTMLElement | string

// The widget a container holds, shared by every copy of the library on the page (the
// script tag and an npm bundle), so that a second widget replaces the first.
const MOUNTED = Symbol.for('progress-polling.widget')
type Container = HTMLElement & { [MOUNTED]?: ProgressPolling }

function findContainer(container: ContainerInput): Container {
  let found: unknown = container
  if (typeof container === 'string') {
    try {
      found = document.getElementById(container) ?? document.querySelector(container)
    } catch {
      // Not a valid selector either: reported as not found.
    }
  }
  if ((found as Node | null)?.nodeType === 1) return found as Container
  throw new TypeError(
    `progress-polling: no container ${JSON.stringify(container)}: pass an element, an element id or a CSS selector of an element that exists (create the widget after it, e.g. on DOMContentLoaded)`,
  )
}

/** Set by a jobs tray on the options of its rows: their words are said by the tray's live region. */
export const QUIET = Symbol.for('progress-polling.quiet')

const EVENTS = { onStart: 'start', onProgress: 'progress', onComplete: 'complete', onError: 'error' } as const

/**
 * Mounts an accessible progress widget into `container` and keeps it in sync with the
 * job's status URL. The container also receives bubbling `progress-polling:start`,
 * `:progress`, `:complete` and `:error` events. A container that already holds a widget
 * gets this one instead (the old one is destroyed).
 * @example
 * new ProgressPolling('jauge', jobId, { url: '/jobs/{id}/', title: 'Import', onComplete })
 */
export class ProgressPolling {
  /** Site-wide defaults of every option: set `url`, `headers` or labels once per site. */
  static defaults = defaults

  /**
   * Follows again the jobs saved with `persist` that have not expired: into `tray`, or the
   * page's jobs tray when it has one, and returns their headless handles. Headers, `fetch`
   * and callbacks were not saved: they come from `ProgressPolling.defaults` (or the tray's
   * options). A job that finished while no page watched it is reported once per browser with
   * a `progress-polling:finished-away` event on its tray or the document.
   * @example
   * for (const job of ProgressPolling.restore()) new ProgressPolling(panel(), job.url)
   */
  static restore(options?: RestoreOptions): PollJob[] {
    return restoreJobs(options)
  }

  /** Forgets every saved job, in every tab (call it at logout). */
  static clearSaved(): void {
    clearSaved()
  }

  /** The element the widget was mounted into. */
  readonly container: HTMLElement
  readonly #job: Followed
  readonly #view: View
  #cancelHide = () => {}
  #teardown = () => {}
  #destroyed = false

  constructor(container: ContainerInput, source: JobSource, options: ProgressPollingOptions = {}) {
    const found = findContainer(container)
    const o = resolveOptions(options, formatNames())
    // What is shown stays with the widget: the job's spec is the job's options alone.
    const {
      title,
      icon,
      showDetails,
      showStats,
      autoHideOnComplete,
      autoHideDelay,
      labels,
      stageLabels,
      confirmCancel,
      locale: _,
      variant,
      ...job
    } = o
    if (!/^(default|compact)$/.test(variant))
      throw new TypeError(
        `progress-polling: the \`variant\` option must be 'default' or 'compact', got ${JSON.stringify(variant)}`,
      )
    const split = splitOptions(source, job)
    const locale = localeOf(o.locale, found)
    if (o.debug && o.locale && language(o.locale) !== language(locale))
      console.warn(`[progress-polling] no words for the locale ${o.locale}: showing English`)
    found[MOUNTED]?.destroy()
    this.container = found
    const live = !(options as { [QUIET]?: boolean })[QUIET]
    const view = createView({ ...o, words: words(locale, labels), live })
    this.#view = view
    // The actions (answers, cancel, retry) are loaded by the first snapshot that may offer one.
    const { cancelUrl, retryUrl } = split.actions
    let shown: Shown
    let actions: ((s: Shown) => void) | undefined
    let loading = false
    const render = (s: Shown) => {
      shown = s
      view.render(s)
      if (actions) return actions(s)
      if (loading || s.connection === 'lost') return
      if (s.choices || s.actions || cancelUrl || retryUrl) {
        loading = true
        void import('./actions').then(({ createActions }) => {
          if (this.#destroyed) return
          const made = createActions(view.root, {
            labels: o.labels,
            language: language(locale),
            live,
            confirmCancel,
            job: this.#job,
            kit: { element, attribute, text, visibility, fill, after },
          })
          this.#teardown = made.destroy
          actions = made.render
          actions(shown)
        })
      }
    }
    const callbacks: Record<string, (detail: never) => void> = {}
    for (const [name, event] of Object.entries(EVENTS)) {
      callbacks[name] = (detail: JobSnapshot | ProgressPollingError) => {
        if (name === 'onComplete' && o.autoHideOnComplete) {
          this.#cancelHide = after(o.autoHideDelay, () => {
            view.root.hidden = true
          })
        }
        // Polling gave up: the job's last known state, and what went wrong.
        if (name === 'onError' && (detail as ProgressPollingError).snapshot?.connection === 'lost') {
          const error = detail as ProgressPollingError
          render({ ...(error.snapshot as JobSnapshot), problem: error })
        }
        safeCall(
          (d) => found.dispatchEvent(new CustomEvent(`progress-polling:${event}`, { bubbles: true, detail: d })),
          detail,
        )
        safeCall(o[name as keyof typeof EVENTS] as (d: unknown) => void, detail)
      }
    }
    // A widget whose element has left the document stops at the next answer.
    let wasConnected = false
    const destroyIfRemoved = () => {
      if (view.root.isConnected) wasConnected = true
      else if (wasConnected) this.destroy()
    }
    const onAction = (detail: unknown) =>
      found.dispatchEvent(new CustomEvent('progress-polling:action', { bubbles: true, detail }))
    if (o.persist) {
      saving()
      describe(split.spec, { title: title || undefined, tray: !live })
    }
    const init = (options as { [INIT]?: JobInit })[INIT]
    this.#job = follow(pageStore, split, { ...callbacks, onAnswer: destroyIfRemoved, onAction }, init)

    this.#job.subscribe((snapshot) => snapshot.connection !== 'lost' && render(snapshot))
    found.append(view.root)
    found[MOUNTED] = this
  }

  /** The latest snapshot; `undefined` until anything is known. */
  get snapshot(): JobSnapshot | undefined {
    return this.#job.snapshot
  }

  /** Resolves with the final snapshot on success; rejects with the error otherwise, or when stopped. */
  get done(): Promise<JobSnapshot> {
    return this.#job.done
  }

  /** The status URL being polled. */
  get url(): string {
    return this.#job.url
  }

  /** Answers the job's question with one of its choices' id: see `PollJob.respond`. */
  respond(choice: string): Promise<unknown> {
    return this.#job.respond(choice)
  }

  /** Asks the server to cancel the job: see `PollJob.cancel`. */
  cancel(): Promise<unknown> {
    return this.#job.cancel()
  }

  /** Asks the server to run the failed job again, and follows the new run: see `PollJob.retry`. */
  retry(): Promise<unknown> {
    return this.#job.retry()
  }

  /** Stops polling and keeps the widget on screen as it is; a saved job is forgotten. */
  stop(): void {
    this.#job.stop()
  }

  /** Polls again from scratch, e.g. after `stop()` or an error. */
  restart(): void {
    if (this.#destroyed)
      throw new Error('progress-polling: restart() after destroy(); create a new ProgressPolling instead')
    this.#cancelHide()
    this.#view.root.hidden = false
    this.#job.restart()
  }

  /** Aborts the request in flight, clears every timer and removes the widget. Safe to call twice. */
  destroy(): void {
    if (this.#destroyed) return
    this.#destroyed = true
    this.#job.leave()
    this.#cancelHide()
    this.#teardown()
    this.#view.destroy()
    this.#view.root.remove()
    const container = this.container as Container
    if (container[MOUNTED] === this) delete container[MOUNTED]
  }
}

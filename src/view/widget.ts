import { type PollJob, pollJob, safeCall } from '../core/poller'
import type { JobSource } from '../core/source'
import { defaults, type PollJobOptions, type ProgressPollingOptions, type Resolved, resolveOptions } from '../options'
import type { JobSnapshot } from '../snapshot/types'
import { labels as english } from './labels'
import { createView, type View } from './render'

/** Where to mount: an element, an element id (`'jauge'`), or a CSS selector (`'#jauge'`). */
export type ContainerInput = HTMLElement | string

function findContainer(container: ContainerInput): HTMLElement {
  let found: unknown = container
  if (typeof container === 'string') {
    try {
      found = document.getElementById(container) ?? document.querySelector(container)
    } catch {
      // Not a valid selector either: reported as not found.
    }
  }
  if ((found as Node | null)?.nodeType === 1) return found as HTMLElement
  throw new TypeError(
    `progress-polling: no container ${JSON.stringify(container)}: pass an element, an element id or a CSS selector of an element that exists (create the widget after it, e.g. on DOMContentLoaded)`,
  )
}

type Callback = 'onStart' | 'onProgress' | 'onComplete' | 'onError'

/**
 * Mounts an accessible progress widget into `container` and keeps it in sync with the
 * job's status URL. The container also receives bubbling `progress-polling:start`,
 * `:progress`, `:complete` and `:error` events.
 * @example
 * new ProgressPolling('jauge', jobId, { url: '/jobs/{id}/', title: 'Import', onComplete })
 */
export class ProgressPolling {
  /** Site-wide defaults of every option: set `url`, `headers` or labels once per site. */
  static defaults = defaults

  /** The element the widget was mounted into. */
  readonly container: HTMLElement
  readonly #job: PollJob
  readonly #view: View
  readonly #options: Resolved<ProgressPollingOptions>
  #hideTimer: ReturnType<typeof setTimeout> | undefined
  #destroyed = false

  constructor(container: ContainerInput, source: JobSource, options: ProgressPollingOptions = {}) {
    this.container = findContainer(container)
    const o = resolveOptions(options)
    this.#options = o
    this.#view = createView({ ...o, labels: { ...english, ...o.labels } })
    const callbacks: Partial<Record<Callback, (detail: unknown) => void>> = {}
    for (const event of ['start', 'progress', 'complete', 'error']) {
      const name = `on${event[0]?.toUpperCase()}${event.slice(1)}` as Callback
      callbacks[name] = (detail) => {
        if (name === 'onComplete') this.#scheduleHide()
        safeCall(
          (d) =>
            this.container.dispatchEvent(new CustomEvent(`progress-polling:${event}`, { bubbles: true, detail: d })),
          detail,
        )
        safeCall(o[name] as (d: unknown) => void, detail)
      }
    }
    this.#job = pollJob(source, { ...o, ...(callbacks as PollJobOptions) })
    this.#job.subscribe((snapshot) => this.#view.render(snapshot))
    this.container.append(this.#view.root)
  }

  /** The latest snapshot; `undefined` until the first response. */
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

  /** Stops polling and keeps the widget on screen as it is. */
  stop(): void {
    this.#job.stop()
  }

  /** Polls again from scratch, e.g. after `stop()` or an error. */
  restart(): void {
    if (this.#destroyed)
      throw new Error('progress-polling: restart() after destroy(); create a new ProgressPolling instead')
    this.#clearHide()
    this.#view.root.hidden = false
    this.#job.restart()
  }

  /** Aborts the request in flight, clears every timer and removes the widget. Safe to call twice. */
  destroy(): void {
    if (this.#destroyed) return
    this.#destroyed = true
    this.#job.stop()
    this.#clearHide()
    this.#view.root.remove()
  }

  #scheduleHide(): void {
    if (!this.#options.autoHideOnComplete) return
    this.#hideTimer = setTimeout(() => {
      this.#hideTimer = undefined
      this.#view.root.hidden = true
    }, this.#options.autoHideDelay)
  }

  #clearHide(): void {
    clearTimeout(this.#hideTimer)
    this.#hideTimer = undefined
  }
}

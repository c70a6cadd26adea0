// The widget's own options. They join the one defaults object (`ProgressPolling.defaults`
// is `defaults`), so a site sets `url`, headers and labels in one place.
import { type Defaults, defaults as jobDefaults, type PollJobOptions } from '../core/options'
import type { ActionLabels } from '../i18n/actions'
import type { Labels } from '../i18n/en'

/** Every string of the widget: its view's, and its actions' (`cancel`, `retry`, `answered`, …). */
export type WidgetLabels = Labels & ActionLabels

/** Options of the `ProgressPolling` widget: the poller's, plus what is shown. */
export interface ProgressPollingOptions extends PollJobOptions {
  /**
   * Heading text.
   * @default ''
   */
  title?: string
  /**
   * Text or emoji shown before the title.
   * @default ''
   */
  icon?: string
  /**
   * Show the statistics line: how many items are done of how many, failed, elapsed, time left.
   * @default true
   */
  showDetails?: boolean
  /**
   * Show the status message line.
   * @default true
   */
  showStats?: boolean
  /**
   * Hide the widget after the job succeeded.
   * @default false
   */
  autoHideOnComplete?: boolean
  /**
   * Milliseconds between success and hiding, with `autoHideOnComplete`. `Infinity` never hides.
   * @default 3000
   */
  autoHideDelay?: number
  /**
   * Ask "Cancel this job?" before the cancel button (shown with `cancelUrl`) sends the
   * cancel; `false` sends it at the first click.
   * @default true
   */
  confirmCancel?: boolean
  /**
   * `'compact'`: the title, the status and the bar on two lines and one line of message,
   * 64 px tall at most (a jobs tray's row); the stages and statistics are left out.
   * @default 'default'
   */
  variant?: 'default' | 'compact'
  /**
   * The language of every visible string, numbers, durations and plurals: `'en'` or `'fr'`
   * (a regional tag such as `'fr-CA'` formats numbers its way). Without it, the `lang` of the
   * container or of the page, when it is French; else English.
   * @default the page's language
   */
  locale?: string
  /**
   * Replacements for any visible string of the widget, in any language.
   * @default {}
   * @example { succeeded: 'Import finished', eta: '{time} to go' }
   */
  labels?: Partial<WidgetLabels>
  /**
   * What to call each stage of a stage-based job, by the name the server sends.
   * @default {}
   * @example { indexing: 'Indexing the video', analyzing: 'Analysing' }
   */
  stageLabels?: Record<string, string>
}

const viewDefaults = {
  title: '',
  icon: '',
  showDetails: true,
  showStats: true,
  autoHideOnComplete: false,
  autoHideDelay: 3000,
  confirmCancel: true,
  variant: 'default' as const,
  locale: undefined,
  labels: {},
  stageLabels: {},
}

/** The defaults of every option, the widget's included: `ProgressPolling.defaults`. */
export const defaults: Defaults<ProgressPollingOptions> = Object.assign(jobDefaults, viewDefaults)

import { typeOf } from '../core/options'
import { defaults } from '../view/options'
import { HOST, ProgressTray, type ProgressTrayOptions } from '../view/tray'
import { ProgressPolling } from '../view/widget'

const ATTRIBUTE = 'data-progress-polling'
const TRAY = 'data-progress-tray'
const widgets = new Map<HTMLElement, ProgressPolling>()
const trays = new Map<HTMLElement, ProgressTray>()

/**
 * Reads the `data-` form of every option from an element: `data-poll-interval="1000"`,
 * `data-show-details="false"`, `data-headers='{"X-CSRFToken": "…"}'`. A value is read as
 * JSON unless the option is a string; a bare boolean attribute means `true`. The options
 * check then says what is wrong with a value. Callbacks have no `data-` form: listen to
 * the `progress-polling:*` events instead.
 */
export function readDataOptions(element: HTMLElement): Record<string, unknown> {
  const options: Record<string, unknown> = {}
  for (const key of [...Object.keys(defaults), ...TRAY_OPTIONS]) {
    const value = element.getAttribute(`data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)
    const type = TRAY_OPTIONS.includes(key)
      ? key === 'listUrl' || key === 'position'
        ? 'string'
        : 'number'
      : typeOf(key)
    if (value === null || type === 'function') continue
    try {
      options[key] = type === 'string' ? value : type === 'boolean' && !value ? true : JSON.parse(value)
    } catch {
      options[key] = value
    }
  }
  return options
}

/** The tray options that have a `data-` form on `[data-progress-tray]`. */
const TRAY_OPTIONS = ['listUrl', 'listInterval', 'leaveAfter', 'max', 'position']

function startTray(element: HTMLElement): void {
  if (trays.has(element)) return
  try {
    trays.set(element, new ProgressTray({ ...readDataOptions(element), [HOST]: element } as ProgressTrayOptions))
  } catch (error) {
    console.error('[progress-polling] could not start the tray', element, error)
    element.dispatchEvent(new CustomEvent('progress-polling:error', { bubbles: true, detail: error }))
  }
}

function start(element: HTMLElement): void {
  if (widgets.has(element)) return
  try {
    const source = element.getAttribute(ATTRIBUTE) ?? ''
    // An element that names a tray (`data-tray="jobs"`, the tray element's id) joins it.
    const named = element.getAttribute('data-tray')
    const host = named === null ? undefined : document.getElementById(named)
    const tray = host ? trays.get(host) : undefined
    if (named !== null && !tray) {
      throw new TypeError(
        `progress-polling: data-tray="${named}" names no tray: give the id of a [data-progress-tray] element that comes before this one`,
      )
    }
    const options = readDataOptions(element)
    widgets.set(element, tray ? tray.add(source, options) : new ProgressPolling(element, source, options))
  } catch (error) {
    console.error('[progress-polling] could not start', element, error)
    element.dispatchEvent(new CustomEvent('progress-polling:error', { bubbles: true, detail: error }))
  }
}

/** Starts a widget on every `[data-progress-polling]` element in `root` (itself included) not yet started. */
export function init(root: ParentNode = document): ProgressPolling[] {
  const hosts = [...root.querySelectorAll<HTMLElement>(`[${TRAY}]`)]
  if ((root as Element).matches?.(`[${TRAY}]`)) hosts.unshift(root as HTMLElement)
  for (const host of hosts) startTray(host)
  const found = [...root.querySelectorAll<HTMLElement>(`[${ATTRIBUTE}]`)]
  if ((root as Element).matches?.(`[${ATTRIBUTE}]`)) found.unshift(root as HTMLElement)
  for (const element of found) start(element)
  return found.flatMap((element) => widgets.get(element) ?? [])
}

/** Widgets whose element left the page (an htmx or Turbo swap) are destroyed: no orphan keeps polling. */
function sweep(): void {
  for (const [element, tray] of trays) {
    if (!element.isConnected) {
      tray.destroy()
      trays.delete(element)
    }
  }
  for (const [element, widget] of widgets) {
    if (!element.isConnected) {
      const tray = [...trays.values()].find((t) => t.jobs.includes(widget))
      if (tray) tray.remove(widget)
      else widget.destroy()
      widgets.delete(element)
    }
  }
}

/**
 * Starts the declarative widgets once the document is parsed (the script tag may be in
 * `<head>`), then watches for elements added or removed later.
 */
export function autoInit(): void {
  const run = () => {
    init()
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) if (node.nodeType === 1) init(node as Element)
        // Text updates inside widgets remove text nodes too; only a removed element can take a widget away.
        if ([...record.removedNodes].some((node) => node.nodeType === 1)) sweep()
      }
    }).observe(document.documentElement, { childList: true, subtree: true })
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true })
  else run()
}

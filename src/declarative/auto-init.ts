import { typeOf } from '../core/options'
import { defaults } from '../view/options'
import { ProgressPolling } from '../view/widget'

const ATTRIBUTE = 'data-progress-polling'
const widgets = new Map<HTMLElement, ProgressPolling>()

/**
 * Reads the `data-` form of every option from an element: `data-poll-interval="1000"`,
 * `data-show-details="false"`, `data-headers='{"X-CSRFToken": "…"}'`. A value is read as
 * JSON unless the option is a string; a bare boolean attribute means `true`. The options
 * check then says what is wrong with a value. Callbacks have no `data-` form: listen to
 * the `progress-polling:*` events instead.
 */
export function readDataOptions(element: HTMLElement): Record<string, unknown> {
  const options: Record<string, unknown> = {}
  for (const key in defaults) {
    const value = element.getAttribute(`data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)
    const type = typeOf(key)
    if (value === null || type === 'function') continue
    try {
      options[key] = type === 'string' ? value : type === 'boolean' && !value ? true : JSON.parse(value)
    } catch {
      options[key] = value
    }
  }
  return options
}

function start(element: HTMLElement): void {
  if (widgets.has(element)) return
  try {
    const source = element.getAttribute(ATTRIBUTE) ?? ''
    widgets.set(element, new ProgressPolling(element, source, readDataOptions(element)))
  } catch (error) {
    console.error('[progress-polling] could not start', element, error)
    element.dispatchEvent(new CustomEvent('progress-polling:error', { bubbles: true, detail: error }))
  }
}

/** Starts a widget on every `[data-progress-polling]` element in `root` (itself included) not yet started. */
export function init(root: ParentNode = document): ProgressPolling[] {
  const found = [...root.querySelectorAll<HTMLElement>(`[${ATTRIBUTE}]`)]
  if ((root as Element).matches?.(`[${ATTRIBUTE}]`)) found.unshift(root as HTMLElement)
  for (const element of found) start(element)
  return found.flatMap((element) => widgets.get(element) ?? [])
}

/** Widgets whose element left the page (an htmx or Turbo swap) are destroyed: no orphan keeps polling. */
function sweep(): void {
  for (const [element, widget] of widgets) {
    if (!element.isConnected) {
      widget.destroy()
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

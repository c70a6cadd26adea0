// The widget's actions: a waiting job's question and its answers, cancel while the job is
// pending or running, retry after it failed. Loaded by the first widget that offers one; it
// gets the DOM helpers from the widget, so that nothing else is split off the entry.
import { type ActionName, actionUrl } from '../core/actions'
import type { after } from '../env/timers'
import type { HttpError } from '../errors'
import { type ActionLabels, actionLabels, actionTables } from '../i18n/actions'
import type { fill } from '../i18n/intl'
import type { Followed } from '../store/poll-job'
import type { attribute, element, text, visibility } from './dom'
import type { Shown } from './render'

export interface ActionsSetup {
  /** The widget's `labels` option: it overrides these strings too. */
  labels: Partial<ActionLabels>
  /** The widget's language: `en`, `fr`. */
  language: string
  /** Whether the question and the notices are live regions (not in a tray's row). */
  live: boolean
  confirmCancel: boolean
  /** The widget's job. */
  job: Followed
  kit: {
    element: typeof element
    attribute: typeof attribute
    text: typeof text
    visibility: typeof visibility
    fill: typeof fill
    after: typeof after
  }
}

interface Control {
  key: string
  label: string
  kind?: string
  run(): void
}

/**
 * Adds the actions to the widget's `root`. `render` shows what the snapshot offers and
 * rebuilds the buttons only when that changes; `destroy` clears the one timer it sets.
 * A click while an action is in flight does nothing (a double click sends once).
 */
export function createActions(root: HTMLElement, setup: ActionsSetup) {
  const { kit, job } = setup
  const can = (action: ActionName, s: Shown) => actionUrl(job.actions, action, s) !== undefined
  const labels = { ...(actionTables[setup.language] ?? actionLabels), ...setup.labels }
  const box = kit.element('div', 'pp-actions', root, { tabindex: '-1' })
  const id = `${root.querySelector('.pp-title')?.id ?? 'progress-polling'}-prompt`
  const prompt = kit.text(kit.element('p', 'pp-prompt', box, setup.live ? { id, 'aria-live': 'polite' } : { id }))
  const group = kit.element('div', 'pp-buttons', box, { role: 'group' })
  const notice = kit.text(kit.element('p', 'pp-notice', box, setup.live ? { role: 'status' } : {}))
  const labelledBy = kit.attribute(group, 'aria-labelledby')
  const label = kit.attribute(group, 'aria-label')
  const show = kit.visibility(box)
  /** The buttons on screen, each with the writers of its state. */
  let buttons: {
    key: string
    node: HTMLButtonElement
    inert: (v: string | null) => void
    busy: (v: string | null) => void
  }[] = []
  let shown: Shown | undefined
  /** The key of the action in flight: every button is inert meanwhile. */
  let busy: string | undefined
  /** The situation in which an action was accepted: its buttons stay away until the job moves on. */
  let done: string | undefined
  /** What the last action came to, and the situation it is about. */
  let said = ''
  let saidIn: string | undefined
  let confirming = false
  let built = ''
  let focusNext: string | undefined
  // The live region is on the page a moment before its first words, so that screen readers
  // read them (they miss text put into a region in the step that adds it).
  let ready = false
  show(false)
  const cancelReady = kit.after(150, () => {
    ready = true
    update()
  })
  const situation = ({ status, prompt, choices }: Shown) => JSON.stringify([status, prompt, choices])

  function send(action: ActionName, key: string, choice?: string) {
    const at = situation(shown as Shown)
    busy = key
    say(labels.sending, at)
    ;(choice === undefined ? job[action as 'cancel']() : job.respond(choice))
      .then(
        () => {
          done = at
          say(action === 'respond' ? labels.answered : action === 'cancel' ? labels.cancelling : labels.retried, at)
        },
        (error: HttpError | TypeError) => {
          const status = (error as HttpError).status
          if (status === 409 || status === 410) done = at
          const reason = status ? `HTTP ${status}` : error instanceof TypeError ? error.message : labels.noConnection
          say(
            status === 409 || status === 410
              ? labels.conflict
              : status === 403
                ? labels.forbidden
                : kit.fill(labels.failed, { reason }),
            at,
          )
        },
      )
      .finally(() => {
        busy = undefined
        confirming = false
        update()
      })
      .catch(() => {})
  }
  function say(text: string, at: string) {
    said = text
    saidIn = at
    update()
  }

  function controls(s: Shown): Control[] {
    if (s.connection === 'lost' || situation(s) === done) return []
    if (s.choices) {
      return can('respond', s)
        ? s.choices.map(({ id, label, kind }) => ({
            key: `respond ${id}`,
            label,
            kind,
            run: () => send('respond', `respond ${id}`, id),
          }))
        : []
    }
    if (s.status === 'failed' && can('retry', s)) {
      return [{ key: 'retry', label: labels.retry, kind: 'primary', run: () => send('retry', 'retry') }]
    }
    if ((s.status === 'pending' || s.status === 'running') && can('cancel', s)) {
      const toggle = (on: boolean, focus: string) => () => {
        confirming = on
        focusNext = focus
        update()
      }
      if (!setup.confirmCancel) return [{ key: 'cancel', label: labels.cancel, run: () => send('cancel', 'cancel') }]
      return confirming
        ? [
            { key: 'cancel yes', label: labels.cancelYes, kind: 'danger', run: () => send('cancel', 'cancel yes') },
            { key: 'cancel no', label: labels.cancelNo, run: toggle(false, 'cancel') },
          ]
        : [{ key: 'cancel', label: labels.cancel, run: toggle(true, 'cancel no') }]
    }
    return []
  }

  function update() {
    if (!ready || !shown) return
    const s = shown
    const list = controls(s)
    if (saidIn !== situation(s)) said = ''
    const question = confirming && list.length ? labels.cancelConfirm : s.choices && s.prompt ? s.prompt : ''
    prompt(question)
    notice(said)
    const key = JSON.stringify(list.map(({ key, label, kind }) => [key, label, kind]))
    const focused = box.contains(document.activeElement)
    if (key !== built) {
      built = key
      buttons = list.map(({ key, label, kind, run }) => {
        const node = kit.element('button', 'pp-button', undefined, { type: 'button' })
        if (kind) node.setAttribute('data-kind', kind)
        node.textContent = label
        node.onclick = () => busy || run()
        return { key, node, inert: kit.attribute(node, 'aria-disabled'), busy: kit.attribute(node, 'aria-busy') }
      })
      group.replaceChildren(...buttons.map(({ node }) => node))
    }
    // The answers are named by the question, or called what they are.
    labelledBy(question ? id : null)
    label(question ? null : labels.choices)
    for (const button of buttons) {
      // Inert but focusable while an action is in flight: a disabled button would drop the focus.
      button.inert(busy ? 'true' : null)
      button.busy(button.key === busy ? 'true' : null)
    }
    // An empty box stays while it has the focus (a cancelled job's last button was clicked).
    show(!!question || !!said || list.length > 0 || focused)
    // The focus stays in the widget: on the button asked for, the first one, or the box.
    const asked = buttons.find((button) => button.key === focusNext)?.node
    if (focused && !box.contains(document.activeElement)) (asked ?? buttons[0]?.node ?? box).focus()
    else asked?.focus()
    focusNext = undefined
  }

  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && confirming && !busy) {
      confirming = false
      focusNext = 'cancel'
      update()
    }
  })

  return {
    render(s: Shown) {
      shown = s
      update()
    },
    destroy: cancelReady,
  }
}

// What a person (or an app) does to a job: answer its question, cancel it, retry it. One POST
// each, classified like a poll. Loaded by the first action: it gets what it shares with
// polling from the handle that loads it, so that nothing else is split off the entry.
import type { after } from '../env/timers'
import type { HttpError, NetworkError, RequestTimeoutError } from '../errors'
import type { first } from '../formats/types'
import type { JobSnapshot } from '../snapshot/types'
import type { Actions, JobHooks, JobSpec } from './options'
import type { withId } from './source'

export type ActionName = 'respond' | 'cancel' | 'retry'

/** What the server answered an action. */
export interface ActionAnswer {
  status: number
  body: unknown
}

/** A handle's actions: what they need of the handle, and what they share with polling. */
export interface ActionContext {
  readonly spec: JobSpec
  hooks: JobHooks
  actions: Actions
  snapshot(): JobSnapshot | undefined
  refresh(): void
  /** Follows the job at `url` (a retried job) as a new run. */
  follow(url: string): void
  /** Called once per action sent, when it settles (`status` 0: no answer). */
  told(detail: { action: ActionName; choice?: string; status: number; body: unknown }): void
  /** The actions in flight, by action and choice. */
  sending: Map<string, Promise<ActionAnswer>>
  kit: {
    after: typeof after
    HttpError: typeof HttpError
    NetworkError: typeof NetworkError
    RequestTimeoutError: typeof RequestTimeoutError
    withId: typeof withId
    first: typeof first
  }
}

/**
 * `url` made absolute against the status URL `base`, when it is on the status URL's origin
 * or one of `origins`; otherwise `undefined`. A URL the server sends (an action URL in a
 * status body, a retried job's new status URL) is only followed this way, so that a body
 * cannot send the request headers (a CSRF token) to another site.
 */
function trusted(url: unknown, base: string, origins: string[]): string | undefined {
  try {
    const home = new URL(base, globalThis.location?.href)
    const target = new URL(url as string, home)
    return typeof url === 'string' && (target.origin === home.origin || origins.includes(target.origin))
      ? target.href
      : undefined
  } catch {
    return undefined
  }
}

/**
 * Where an action goes, or `undefined` when nowhere is known: the consumer's option (its
 * `{id}` the job's id: the source's, or the one the status body gives), else the URL the
 * status body sent, if it is trusted.
 */
export function actionUrl(c: ActionContext, name: ActionName, snapshot = c.snapshot()): string | undefined {
  const { actions } = c
  const option = actions[`${name}Url`]
  const id = actions.id ?? snapshot?.id
  if (option === undefined) return trusted(snapshot?.actions?.[name], c.spec.url, actions.origins)
  if (typeof option === 'string' && !option.includes('{id}')) return option
  const url = id === undefined ? undefined : c.kit.withId(option, id)
  return typeof url === 'string' && url ? url : undefined
}

const WHAT = { respond: 'The answer', cancel: 'Cancelling the job', retry: 'Retrying the job' }

/**
 * Sends an action, once at a time (the same action again while it is in flight gets the same
 * promise: a double click sends once), then polls at once, or follows the retried job.
 */
export function act(c: ActionContext, action: ActionName, choice?: string): Promise<ActionAnswer> {
  const key = `${action} ${choice}`
  let sent = c.sending.get(key)
  if (!sent) {
    sent = send(c, action, choice).finally(() => c.sending.delete(key))
    c.sending.set(key, sent)
  }
  return sent
}

/**
 * POSTs `{ "choice": id }` as JSON for an answer, no body for cancel and retry, with the
 * job's `headers` and `credentials`, within `requestTimeout`. Resolves with the answer of a
 * 2xx; throws an `HttpError` (with `status` and the parsed `body`) for any other status, a
 * `NetworkError`, a `RequestTimeoutError`, or a `TypeError` when there is nowhere to send.
 */
async function send(c: ActionContext, action: ActionName, choice?: string): Promise<ActionAnswer> {
  const { spec, hooks, actions, kit } = c
  if (action === 'respond' && typeof choice !== 'string') {
    throw new TypeError(`progress-polling: respond() takes the id of one of the job's choices, got ${typeof choice}`)
  }
  const url = actionUrl(c, action)
  // A URL the server sent is not followed through a redirect: an open redirect on its origin
  // would otherwise carry the request headers (a CSRF token) to another site.
  const fromServer = actions[`${action}Url`] === undefined
  if (url === undefined) {
    throw new TypeError(
      fromServer
        ? `progress-polling: ${action}() has nowhere to send to: set the \`${action}Url\` option (a URL, a template with {id}, or a function of the id), or send a \`${action}_url\` on the status URL's origin in the status body`
        : `progress-polling: ${action}() cannot fill {id} of the \`${action}Url\` option: the job was given by its URL and its status has no id (job_id, id, task_id, jid); give the job by its id instead`,
    )
  }
  const what = `${WHAT[action]}${choice === undefined ? '' : ` ${JSON.stringify(choice)}`}`
  const told = (status: number, body?: unknown) => c.told({ action, choice, status, body })
  // The timeout covers the whole answer, its body too: a server that trickles it is cut off.
  const controller = new AbortController()
  const cancel = kit.after(spec.requestTimeout, () => controller.abort())
  const failed = (cause: unknown) => {
    cancel()
    told(0)
    return controller.signal.aborted
      ? new kit.RequestTimeoutError(
          `${what} got no whole answer from ${url} within ${spec.requestTimeout} ms (requestTimeout)`,
          spec.url,
          { timeout: spec.requestTimeout },
        )
      : new kit.NetworkError(`${what} could not be sent to ${url}: ${(cause as Error)?.message ?? cause}`, spec.url, {
          cause,
        })
  }
  // Not every fetch stops reading a body when its signal aborts (a mocked one does not).
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(new Error('aborted'))),
  )
  aborted.catch(() => {})
  let response: Response | undefined
  let text: string
  try {
    response = await (hooks.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        ...(choice === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...hooks.headers,
      },
      body: choice === undefined ? undefined : JSON.stringify({ choice }),
      credentials: spec.credentials,
      redirect: fromServer ? 'error' : 'follow',
      signal: controller.signal,
    })
    text = await Promise.race([response.text(), aborted])
  } catch (cause) {
    void response?.body?.cancel().catch(() => {})
    throw failed(cause)
  }
  cancel()
  const { status, statusText, headers } = response as Response
  let body: unknown
  try {
    body = text.trim() ? JSON.parse(text) : undefined
  } catch {
    // Not JSON: the answer's status is what counts.
  }
  told(status, body)
  if (!response.ok) {
    // Someone else acted first (another tab, another person): see what the job does now.
    const gone = status === 409 || status === 410
    if (gone) c.refresh()
    const why = gone ? ' (already answered, or no longer possible)' : status === 403 ? ' (not allowed)' : ''
    throw new kit.HttpError(
      `${what} was refused: HTTP ${status}${statusText && ` ${statusText}`} from ${url}${why}`,
      spec.url,
      {
        status,
        response,
        body,
      },
    )
  }
  if (action !== 'retry') {
    c.refresh()
    return { status, body }
  }
  // The job the retry started: where the answer says it is (if that is a place we trust), the
  // job id it names put into the `url` template, or the same URL again.
  // What the body names, as text: a string or a number (an id), nothing else.
  const named = (...keys: string[]) => {
    const value = kit.first(Object(body), ...keys)
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
  }
  let next: string | undefined
  const location = headers.get('location') ?? named('status_url', 'statusUrl')
  if (location !== undefined) {
    let absolute = location
    try {
      // A `Location` is relative to the URL that answered.
      absolute = new URL(location, new URL(url, globalThis.location?.href)).href
    } catch {
      // Relative, with no page to resolve it against (Node): judged as it is.
    }
    next = trusted(absolute, spec.url, actions.origins)
    if (!next)
      console.warn(`[progress-polling] not following ${location}: not on the status URL's origin or in actionOrigins`)
  }
  const id = named('job_id', 'id', 'task_id', 'jid')
  const template = actions.url
  if (!next && id !== undefined && (typeof template === 'function' || template?.includes('{id}'))) {
    const url = kit.withId(template, id)
    // A template that gives no URL: the same status URL is followed again.
    if (typeof url === 'string' && url) next = url
  }
  c.follow(next ?? spec.url)
  return { status, body }
}

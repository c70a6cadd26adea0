// Polling: one request at a time, the next one scheduled after each response. It knows when
// to ask and how to classify what came back; what a body means is the job's reducer's.
import { HttpError, JobVanishedError, NetworkError, type ProgressPollingError, RetryLimitError } from '../../errors'
import { backoff, isTransient, serverDelay } from '../retry'
import { requestJson, type Validators } from './request'
import type { Transport, Wake } from './types'

export const poll: Transport = async function* (ctx) {
  const { spec, hooks, signal, log } = ctx
  const { pollInterval, retry: policy } = spec
  // Adaptive polling: the wait grows while nothing changes, up to maxPollInterval.
  const longest = Math.max(pollInterval, spec.maxPollInterval ?? pollInterval)
  let interval = pollInterval
  const validators: Validators = {}
  const settings = { credentials: spec.credentials, timeout: spec.requestTimeout }
  /** A wait the server asked for, kept between `pollInterval` and `retry.maxRetryAfter`. */
  const pace = (asked: number) => Math.min(Math.max(asked, pollInterval), policy.maxRetryAfter)
  // A 201 or 202 may point at where the status lives (Location, Operation-Location).
  let target = spec.url
  let due = Date.now()
  let firstAt: number | undefined
  // A tab that takes over from another knows the job: a 404 means it is gone.
  let seen = ctx.state().seen
  let failures = 0
  let last: string | undefined

  for (;;) {
    // Wait until the next poll is due; `refresh()` polls at once.
    let wake: Wake = due > Date.now() ? await ctx.sleep(due - Date.now()) : 'time'
    if (signal.aborted) return
    if (wake !== 'refresh' && ctx.away()) {
      log('paused: the page is hidden or offline')
      yield { type: 'paused' }
      do wake = await ctx.sleep(Infinity, true)
      while (wake === 'back' && ctx.away())
      if (signal.aborted) return
      yield { type: 'resumed' }
      // Back before an interval has passed (a flapping tab): wait for the rest of it.
      if (wake === 'back' && due > Date.now()) continue
    }
    firstAt ??= Date.now()
    const since = firstAt
    let delay = interval
    try {
      log('GET', target)
      const { meta, body, text, unchanged } = await requestJson(target, hooks, settings, validators, signal)
      if (signal.aborted) return
      failures = 0
      seen = true
      const next =
        (meta.status === 201 || meta.status === 202) &&
        (meta.headers.get('operation-location') ?? meta.headers.get('location'))
      if (unchanged || `${target} ${meta.status} ${text}` === last) {
        interval = Math.min(longest, Math.round(interval * 1.5))
        yield { type: 'unchanged' }
      } else {
        last = `${target} ${meta.status} ${text}`
        interval = pollInterval
        yield { type: 'body', body, meta }
      }
      if (next) {
        try {
          target = new URL(next, globalThis.location?.href ?? target).href
        } catch {
          target = next
        }
      }
      const asked = serverDelay(meta.headers, body)
      delay = asked === undefined ? interval : pace(asked)
    } catch (caught) {
      if (signal.aborted) return
      const error = caught as ProgressPollingError
      // Offline is a pause, not a failure: the request could not get through.
      if (error instanceof NetworkError && !ctx.online()) {
        due = Date.now()
        continue
      }
      const status = error instanceof HttpError ? error.status : 0
      if (seen && (status === 404 || status === 410)) {
        throw new JobVanishedError(
          `The job no longer exists: HTTP ${status} from ${target} after it had been seen`,
          spec.url,
          { status, response: (error as HttpError).response },
        )
      }
      if (status === 404 && Date.now() - since < spec.notFoundGrace) {
        log('not found yet: within notFoundGrace')
        yield { type: 'unchanged' }
      } else {
        if (!isTransient(error)) throw error
        if (++failures >= policy.limit) {
          if (failures < 2) throw error
          throw new RetryLimitError(`Gave up after ${failures} failed attempts in a row: ${error.message}`, spec.url, {
            attempts: failures,
            cause: error,
          })
        }
        const asked = serverDelay((error as HttpError).response?.headers)
        delay = asked === undefined ? backoff(failures, pollInterval, policy) : pace(asked)
        log(error.message, `retry ${failures} of ${policy.limit - 1} in ${delay} ms`)
        yield { type: 'retrying', error, attempt: failures, limit: policy.limit - 1, delayMs: delay }
      }
    }
    due = Date.now() + delay
  }
}

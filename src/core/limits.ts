// The limits a job gives itself: `timeout` is a timer from the start; `maxAttempts`,
// `startTimeout` and `staleTimeout` are judged after each answer, so a hidden tab (which
// asks nothing) is never judged stale.

import { after } from '../env/timers'
import { PollingLimitError } from '../errors'
import type { JobState } from './machine'
import type { JobSpec } from './options'

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`

function limit(spec: JobSpec, name: PollingLimitError['limit'], message: string): PollingLimitError {
  return new PollingLimitError(spec.timeoutMessage ?? message, spec.url, { limit: name })
}

/** The limit the state has reached after an answer (`answered`: a response, not a failure), if any. */
export function limitReached(
  spec: JobSpec,
  state: JobState,
  answered: boolean,
  now = Date.now(),
): PollingLimitError | undefined {
  if (answered && state.snapshot?.status === 'pending' && now - state.startedAt >= spec.startTimeout) {
    return limit(
      spec,
      'startTimeout',
      `The job has not started after ${seconds(spec.startTimeout)} (startTimeout): is its id known to the server? Celery, for one, reports unknown ids as PENDING.`,
    )
  }
  if (answered && now - state.changedAt >= spec.staleTimeout) {
    return limit(spec, 'staleTimeout', `The job has not changed for ${seconds(now - state.changedAt)} (staleTimeout)`)
  }
  if (state.polls >= spec.maxAttempts) {
    return limit(spec, 'maxAttempts', `Gave up after ${state.polls} polls (maxAttempts): the job had not finished`)
  }
}

/** Calls `reached` with the error when `timeout` runs out. Returns the function that cancels it. */
export function deadline(spec: JobSpec, startedAt: number, reached: (error: PollingLimitError) => void): () => void {
  return after(startedAt + spec.timeout - Date.now(), () =>
    reached(limit(spec, 'timeout', `Gave up after ${seconds(spec.timeout)} (timeout): the job had not finished`)),
  )
}

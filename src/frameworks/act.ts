// The job's actions for a binding: on whichever job the component follows now.
import type { PollJob } from '../index'

/**
 * `respond`, `cancel` and `retry` on the job `current()` returns; `retried` runs once a retry
 * was accepted (the binding clears its error: a new run is followed).
 */
export function actOn(current: () => PollJob | undefined, retried: () => void) {
  const on = (run: (job: PollJob) => Promise<unknown>) => {
    const job = current()
    return job
      ? run(job)
      : Promise.reject(new TypeError('progress-polling: no job to act on yet (the source is null, or not mounted)'))
  }
  return {
    respond: (choice: string) => on((job) => job.respond(choice)),
    cancel: () => on((job) => job.cancel()),
    retry: () =>
      on(async (job) => {
        const answer = await job.retry()
        retried()
        return answer
      }),
  }
}

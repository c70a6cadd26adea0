// The job's actions for a binding: on whichever job the component follows now.
import type { PollJob } from '../index'

/** What a binding's `useJob` does to its job, besides showing it. */
export interface JobControls {
  /** Stops following the job (the requests stop when nothing else follows it; a saved job is forgotten). */
  stop(): void
  /** Follows the job again from scratch. */
  restart(): void
  /** Answers the job's question with a choice's id: `PollJob.respond` (rejects when there is no job). */
  respond(choice: string): Promise<unknown>
  /** Asks the server to cancel the job: `PollJob.cancel`. */
  cancel(): Promise<unknown>
  /** Asks the server to run the failed job again, and follows the new run (`error` is cleared): `PollJob.retry`. */
  retry(): Promise<unknown>
}

/**
 * `respond`, `cancel` and `retry` on the job `current()` returns; `retried` runs once a retry
 * was accepted (the binding clears its error: a new run is followed).
 */
export function actOn(
  current: () => PollJob | undefined,
  retried: () => void,
): Pick<JobControls, 'respond' | 'cancel' | 'retry'> {
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

/**
 * Leaves a job when a component goes (unmount, another source): unlike `stop()`, a job saved
 * with `persist` stays saved, so that the next page or component can restore it.
 */
export const leave = (job: PollJob | undefined): void => {
  const own = job as (PollJob & { leave?: () => void }) | undefined
  if (own?.leave) own.leave()
  else own?.stop()
}

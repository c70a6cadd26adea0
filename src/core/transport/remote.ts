// A transport fed from elsewhere: the bodies a list endpoint returned for this job. The job
// reads each one with its own format and reducer, as if it had polled it.
import type { ProgressPollingError } from '../../errors'
import type { Transport, TransportEvent } from './types'

export interface Remote {
  /** The job's transport: yields what is pushed, in order, until its run ends. */
  transport: Transport
  /** Hands the job one more event. */
  push(event: TransportEvent): void
  /** Ends the job with `error` (polling gave up: `connection: 'lost'`). */
  fail(error: ProgressPollingError): void
}

export function createRemote(): Remote {
  const queue: ({ event: TransportEvent } | { error: ProgressPollingError })[] = []
  let wake = () => {}
  const add = (item: (typeof queue)[number]) => {
    queue.push(item)
    wake()
  }
  return {
    push: (event) => add({ event }),
    fail: (error) => add({ error }),
    transport: async function* ({ signal }) {
      const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
      while (!signal.aborted) {
        const item = queue.shift()
        if (!item) {
          await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted])
          continue
        }
        if ('error' in item) throw item.error
        yield item.event
      }
    },
  }
}

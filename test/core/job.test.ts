// The transport seam: a job fed by something other than its own polling.
import { describe, expect, it } from 'vitest'
import { createJob, type JobState } from '../../src/core/job'
import { type PollJobOptions, resolveOptions, splitOptions } from '../../src/core/options'
import type { Transport } from '../../src/core/transport/types'
import { formatNames } from '../../src/formats/index'
import type { JobSnapshot } from '../../src/snapshot/types'

const running: JobSnapshot = { status: 'running', terminal: false, percent: 30, raw: {} }
const done: JobSnapshot = { status: 'succeeded', terminal: true, percent: 100, raw: {} }

describe('a job fed by another transport', () => {
  it('takes snapshots read elsewhere as they are, and ends on a terminal one', async () => {
    const remote: Transport = async function* () {
      yield { type: 'snapshot', snapshot: running }
      yield { type: 'snapshot', snapshot: done }
      yield { type: 'snapshot', snapshot: running }
    }
    const { spec, hooks } = splitOptions(
      'https://example.test/jobs/1/',
      resolveOptions({} as PollJobOptions, formatNames()),
    )
    const states: JobState[] = []
    const job = createJob(spec, hooks, { transport: remote })
    job.subscribe((state) => states.push(state))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(states.map((s) => [s.snapshot, s.seen, !!s.ended])).toEqual([
      [running, true, false],
      [done, true, true],
    ])
  })

  it('starts from a snapshot and a start time known from before', () => {
    const never: Transport = async function* () {}
    const { spec, hooks } = splitOptions(
      'https://example.test/jobs/1/',
      resolveOptions({} as PollJobOptions, formatNames()),
    )
    const job = createJob(spec, hooks, { transport: never, init: { snapshot: running, startedAt: 1234 } })
    expect(job.snapshot).toBe(running)
    expect(job.state).toMatchObject({ startedAt: 1234, seen: false })
    job.stop()
  })
})

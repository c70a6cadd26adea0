// The job's state machine: every snapshot is built here and nowhere else. `reduce` takes
// the state and one event (from a transport, or the job's own limits) and returns the
// next state; the job publishes it.
import { asPollingError, JobCancelledError, JobFailedError, type ProgressPollingError } from '../errors'
import { type Reading, toSnapshot } from '../formats/index'
import type { JobSnapshot } from '../snapshot/types'
import type { JobSpec } from './options'
import type { TransportEvent } from './transport/types'

export interface JobState {
  /** The status URL, as given. */
  url: string
  /** The latest snapshot; `undefined` until anything is known. */
  snapshot?: JobSnapshot
  /** The server's status has been read in this run (`onStart` is due). */
  seen: boolean
  /** The last change was the job's own (`onProgress` is due), not only how it is reached. */
  progressed: boolean
  /** Set when the run ended: with the error, or none for success. */
  ended?: { error?: ProgressPollingError }
  /** Set when the run was stopped before the job ended. */
  stopped?: boolean
  reading: Reading
  /** When the run started (or the job did, for a restored job). */
  startedAt: number
  /** When the server's answer last changed. */
  changedAt: number
  /** Requests answered or failed in this run. */
  polls: number
  /** A failure the server gave no reason for, not shown yet: the next answer confirms it. */
  held?: JobSnapshot
}

/** A transport's event, or polling's own end: a limit, a permanent failure, retries spent. */
export type JobEvent = TransportEvent | { type: 'lost'; error: ProgressPollingError }

const PENDING: JobSnapshot = { status: 'pending', terminal: false, percent: null, raw: undefined }

/** The snapshot without what it says about the connection. */
function reached(snapshot: JobSnapshot | undefined): JobSnapshot {
  const { connection, retry, ...rest } = snapshot ?? PENDING
  return rest
}

/** The state of a run that starts now, or from a snapshot and start time known from before. */
export function initialState(
  spec: JobSpec,
  init: { snapshot?: JobSnapshot; startedAt?: number } = {},
  now = Date.now(),
): JobState {
  return {
    url: spec.url,
    snapshot: init.snapshot,
    seen: false,
    progressed: false,
    reading: { format: spec.format, steps: spec.steps },
    startedAt: init.startedAt ?? now,
    changedAt: now,
    polls: 0,
  }
}

/** The state after `event`, given `parse` (the only hook that reads bodies). */
export function reduce(state: JobState, event: JobEvent, parse: Reading['parse'], now = Date.now()): JobState {
  const polled = { ...state, progressed: false, polls: state.polls + 1 }
  switch (event.type) {
    case 'body': {
      let read: ReturnType<typeof toSnapshot>
      try {
        read = toSnapshot(event.body, event.meta, { ...state.reading, parse }, state.snapshot)
      } catch (error) {
        return reduce(polled, { type: 'lost', error: asPollingError(error, event.meta.url) }, parse, now)
      }
      const { parse: _, ...reading } = read.reading
      const { snapshot } = read
      // A failure without a reason may have been read before the reason was stored (a BullMQ
      // handler that awaits getState() before failedReason is set): it is worth one more answer.
      if (snapshot.status === 'failed' && !snapshot.error && !state.held) return { ...polled, reading, held: snapshot }
      return ended({ ...polled, snapshot, reading, seen: true, progressed: true, changedAt: now, held: undefined })
    }
    case 'snapshot':
      return ended({
        ...state,
        snapshot: event.snapshot,
        seen: true,
        progressed: event.progressed ?? true,
        changedAt: event.progressed === false ? state.changedAt : now,
        held: undefined,
      })
    case 'unchanged':
      if (state.held) return ended({ ...polled, snapshot: state.held, seen: true, progressed: true, held: undefined })
      // An answer after a spell of retrying: the job is reached again.
      return state.snapshot?.connection
        ? { ...polled, snapshot: reached(state.snapshot), progressed: state.seen }
        : polled
    case 'retrying': {
      const { error, attempt, limit, delayMs } = event
      const retry = { attempt, limit, delayMs, reason: error.message }
      return { ...polled, snapshot: { ...reached(state.snapshot), connection: 'retrying', retry } }
    }
    case 'paused':
      return { ...state, progressed: false, snapshot: { ...reached(state.snapshot), connection: 'paused' } }
    case 'resumed':
      return state.snapshot?.connection === 'paused'
        ? { ...state, progressed: false, snapshot: reached(state.snapshot) }
        : state
    case 'lost': {
      if (state.held) return ended({ ...state, snapshot: state.held, seen: true, progressed: true, held: undefined })
      // Polling gave up: the job keeps the status the server last gave it.
      const snapshot: JobSnapshot = { ...reached(state.snapshot), connection: 'lost' }
      event.error.snapshot = snapshot
      return { ...state, progressed: false, snapshot, ended: { error: event.error } }
    }
  }
}

/** Ends the run when the server said the job is over. */
function ended(state: JobState): JobState {
  const snapshot = state.snapshot as JobSnapshot
  if (!snapshot.terminal) return state
  if (snapshot.status === 'succeeded') return { ...state, ended: {} }
  const failed = snapshot.status === 'failed'
  const message = snapshot.error?.message || snapshot.message || `The job ${failed ? 'failed' : 'was cancelled'}`
  const error = new (failed ? JobFailedError : JobCancelledError)(message, state.url, {
    snapshot,
    detail: snapshot.error?.detail,
  })
  return { ...state, ended: { error } }
}

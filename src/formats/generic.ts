import { mapStatus } from '../snapshot/status'
import type { SnapshotFields } from '../snapshot/types'
import { type Body, type Format, failure, first, lower, path } from './types'

const OBJECT = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value)

/**
 * The job object of a body. An envelope whose own `status` is the request's outcome
 * (JSend's `{ status: 'success', data: { task_status: 'queued' } }`) or says success over a
 * nested job that says otherwise: the nested job. Bull Board's `{ job: {…}, status }`: the
 * job's fields with the status beside them.
 */
function jobOf(body: Record<string, unknown>): Record<string, unknown> {
  const outer = body.status
  for (const key of ['data', 'job', 'task']) {
    const inner = body[key]
    if (!OBJECT(inner)) continue
    const word = first(inner, 'status', 'state', 'task_status', 'job_status')
    if (
      typeof word === 'string' &&
      (/^(success|ok|fail|error)$/.test(lower(outer)) || mapStatus(outer).status === 'succeeded')
    ) {
      return { ...inner, status: word }
    }
    if (key === 'job' && word === undefined) return { ...inner, ...body }
  }
  return body
}

// A Ruby hash's inspect text, as a Rails controller passes a sidekiq-status result on:
// `{:error=>"Model overloaded"}` (Ruby 3.4: `{error: "Model overloaded"}`).
const RUBY_ERROR = /^\{\s*:?"?error"?\s*(?:=>|:)\s*"((?:[^"\\]|\\.)*)"\s*\}$/

/**
 * Reads the flat shapes, the default format's keys or the generic ones: `{ status, progress,
 * processed, total, failed, message, step, steps, result, error }`, a waiting job's
 * `prompt`/`question` and `choices`/`options`, action URLs, and what real endpoints add:
 * RQ's `exc_info` and `meta`, BullMQ's `failedReason` and `returnvalue`.
 */
export function readFlat(body: Body): SnapshotFields | undefined {
  if (!body) return undefined
  const b = jobOf(body)
  const status = b.status
  if (typeof status !== 'string' && typeof status !== 'number') return undefined
  const progress = b.progress
  const counts = OBJECT(progress) ? progress : undefined
  const result = first(b, 'result', 'task_result', 'returnvalue', 'returnValue')
  const stack = b.stacktrace
  const reason = first(b, 'error', 'error_message', 'failedReason', 'exc_info')
  return {
    status: String(status),
    // BullMQ's word for a job that failed and waits for its next attempt (the trimmed
    // `{ status: await job.getState(), error: job.failedReason }` endpoints pass it on).
    attempt: lower(status) === 'delayed' && reason ? { reason } : undefined,
    percent: counts
      ? counts.percent
      : (first(b, 'progress_percentage', 'progress', 'percent') ?? path(b, 'meta', 'progress')),
    processed: first(b, 'processed_items', 'processed') ?? counts?.current,
    total: first(b, 'total_items', 'total') ?? counts?.total,
    failed: first(b, 'failed_items', 'failed'),
    message: first(b, 'current_message', 'message') ?? path(b, 'meta', 'message'),
    error:
      failure(reason, Array.isArray(stack) ? stack.at(-1) : undefined) ??
      (typeof result === 'string' ? RUBY_ERROR.exec(result)?.[1] : undefined),
    result,
    step: b.step,
    steps: b.steps,
    startedAt: first(b, 'started_at', 'startedAt'),
    completedAt: first(b, 'completed_at', 'completedAt'),
    durationSeconds: b.duration,
    id: first(b, 'job_id', 'id', 'task_id', 'jid'),
    // A job that waits for a person: the question, its answers, and where they go.
    prompt: first(b, 'prompt', 'question'),
    choices: first(b, 'choices', 'options'),
    actions: {
      respond: first(b, 'respond_url', 'respondUrl'),
      cancel: first(b, 'cancel_url', 'cancelUrl'),
      retry: first(b, 'retry_url', 'retryUrl'),
    },
  }
}

/**
 * The generic shape: the fallback for any body with a `status` that no other format claims,
 * read like the default format (a job's later bodies may use either's keys).
 */
export const generic: Format = {
  order: 100,
  detect: (body) => typeof body?.status === 'string' || typeof body?.status === 'number',
  read: readFlat,
}

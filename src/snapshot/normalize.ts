import { isTerminal, mapStatus } from './status'
import type { JobSnapshot, SnapshotFields } from './types'

/** A finite number from a number or a numeric string (`"42"`), else `undefined`. */
export function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

const toText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value || undefined : typeof value === 'number' ? String(value) : undefined

function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

const clamp = (n: number): number => Math.min(100, Math.max(0, n))

function toError(value: unknown, fallback: string | undefined): JobSnapshot['error'] {
  if (value && typeof value === 'object') {
    const { message, code } = value as { message?: unknown; code?: unknown }
    const text = toText(message) ?? fallback
    const c = typeof code === 'string' || typeof code === 'number' ? code : undefined
    return text === undefined && c === undefined
      ? undefined
      : { message: text ?? String(c), ...(c === undefined ? {} : { code: c }) }
  }
  const text = toText(value) ?? fallback
  return text === undefined ? undefined : { message: text }
}

/**
 * Applies the rules every format shares: status vocabulary, numbers sent as strings,
 * percent derived from counts and clamped, success from the status only (never from
 * percent), 100 on success, the last percent kept on failure, elapsed time and ETA.
 */
export function normalize(fields: SnapshotFields, raw: unknown, previous?: JobSnapshot, now = Date.now()): JobSnapshot {
  const { status, step: wordStep } = mapStatus(fields.status)
  const terminal = isTerminal(status)
  const processed = toNumber(fields.processed)
  const total = toNumber(fields.total)
  const failed = toNumber(fields.failed)
  let percent: number | null = toNumber(fields.percent) ?? null
  if (percent === null && processed !== undefined && total) percent = (processed / total) * 100
  if (percent !== null) percent = clamp(percent)
  if (status === 'succeeded') percent = 100
  else if (terminal && previous) percent = previous.percent

  const startedAt = toDate(fields.startedAt)
  const completedAt = toDate(fields.completedAt)
  const duration = toNumber(fields.durationSeconds)
  let elapsedMs: number | undefined
  if (duration !== undefined) elapsedMs = duration * 1000
  else if (startedAt) elapsedMs = Math.max(0, (completedAt?.getTime() ?? now) - startedAt.getTime())
  const etaMs =
    !terminal && elapsedMs !== undefined && percent !== null && percent > 0 && percent < 100
      ? Math.round((elapsedMs * (100 - percent)) / percent)
      : undefined

  const message = toText(fields.message)
  const snapshot: JobSnapshot = { status, terminal, percent, raw }
  const optional: Omit<JobSnapshot, 'status' | 'terminal' | 'percent' | 'raw'> = {
    processed,
    total,
    failed,
    message,
    step: toText(fields.step) ?? wordStep,
    result: fields.result,
    error: toError(fields.error, status === 'failed' ? message : undefined),
    startedAt,
    completedAt,
    elapsedMs,
    etaMs,
  }
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (snapshot as unknown as Record<string, unknown>)[key] = value
  }
  return snapshot
}

import type { JobStatus } from './types'

// A Map, so that a server's word never reaches Object.prototype ("constructor" is unknown).
const WORDS = new Map<string, JobStatus>()
const groups: [JobStatus, string][] = [
  ['pending', 'pending queued accepted created scheduled delayed'],
  ['running', 'in_progress running working started progress active'],
  ['waiting', 'waiting waiting_user waiting_input action_required'],
  ['succeeded', 'completed complete success succeeded finished done'],
  ['failed', 'failed failure error'],
  ['cancelled', 'cancelled canceled revoked stopped aborted dismissed'],
]
for (const [status, words] of groups) for (const word of words.split(' ')) WORDS.set(word, status)

/**
 * Maps a server's status word onto the canonical vocabulary, case-insensitively.
 * `retry`/`retrying` is a running job waiting for its next attempt (`retry: true`).
 * An unknown word is a stage of a running job (`'indexing'`), so it comes back as `step`.
 */
export function mapStatus(word: unknown): { status: JobStatus; step?: string; retry?: true } {
  const text = String(word).trim()
  const key = text.toLowerCase().replace(/[\s-]+/g, '_')
  const status = WORDS.get(key)
  return status
    ? { status }
    : /^retry(ing)?$/.test(key)
      ? { status: 'running', retry: true }
      : { status: 'running', step: text }
}

export const isTerminal = (status: JobStatus): boolean =>
  status === 'succeeded' || status === 'failed' || status === 'cancelled'

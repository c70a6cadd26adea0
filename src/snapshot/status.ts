import type { JobStatus } from './types'

const WORDS: Record<string, JobStatus> = {}
const groups: [JobStatus, string][] = [
  ['pending', 'pending queued accepted created scheduled'],
  ['running', 'in_progress running working started progress active'],
  ['waiting', 'waiting waiting_user waiting_input action_required'],
  ['succeeded', 'completed complete success succeeded finished done'],
  ['failed', 'failed failure error'],
  ['cancelled', 'cancelled canceled revoked stopped aborted dismissed'],
]
for (const [status, words] of groups) for (const word of words.split(' ')) WORDS[word] = status

/**
 * Maps a server's status word onto the canonical vocabulary, case-insensitively.
 * An unknown word is a stage of a running job (`'indexing'`), so it comes back as `step`.
 */
export function mapStatus(word: string): { status: JobStatus; step?: string } {
  const key = word
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  const status = WORDS[key]
  return status ? { status } : { status: 'running', step: word.trim() }
}

export const isTerminal = (status: JobStatus): boolean =>
  status === 'succeeded' || status === 'failed' || status === 'cancelled'

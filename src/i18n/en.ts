/**
 * Every string the widget shows, in English. `{name}` is replaced by a value; a string with
 * a count (`{n}`) may have a form per plural category of `Intl.PluralRules`, under
 * `name_one`, `name_few`, …: the plain `name` is the other form.
 */
export const en = {
  /** The job's status, beside the title. */
  pending: 'Queued',
  running: 'Running',
  waiting: 'Waiting for input',
  succeeded: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  /** The same, when how long the job took is known. */
  succeededIn: 'Completed in {time}',
  failedAfter: 'Failed after {time}',
  cancelledAfter: 'Cancelled after {time}',
  /** A job waiting for its next attempt after one of its own failed (Sidekiq's `retrying`). */
  attempt: 'Retrying (attempt {number})',
  /** The same, when the backend says how many attempts it allows. */
  attemptOf: 'Retrying (attempt {number} of {of})',
  /** A running stage-based job: the stage's name (or its `stageLabels` entry) and where it is. */
  stage: '{stage} · step {number} of {of}',

  /** How the job is reached, when not well: the status beside the title… */
  reconnecting: 'Reconnecting',
  paused: 'Paused',
  lost: 'Not updating',
  notFound: 'Not found',
  unreadable: 'Unreadable',
  /** A tray's job that left its list endpoint before it ended. */
  unlisted: 'Ended',
  /** …and the message line, counting down while polling waits to try again. */
  retrying: 'Connection lost — retrying in {time}',
  retryingNow: 'Connection lost — retrying now…',
  pausedMessage: 'Updates are paused while the page is hidden or offline.',
  unreachable: "Can't reach the server. The job may still be running: reload the page to check.",
  vanished: 'This job no longer exists on the server.',
  unreadableMessage: "Can't read the job's status: the server sent something else.",
  signIn: "The server sent a web page instead of the job's status: you may need to sign in again.",
  denied: 'You are not allowed to see this job: you may need to sign in again.',
  serverError: "Can't get the job's status (HTTP {status}).",
  /** A limit (`timeout`, `maxAttempts`, …) was reached, unless `timeoutMessage` says otherwise. */
  tooLong: 'Stopped following this job: it is taking longer than expected.',
  unlistedMessage: 'No longer listed by the server: how it ended is unknown.',

  /** The statistics line. */
  processedOf: '{processed} of {total}',
  processed: '{n} done',
  items_one: '{n} item',
  items: '{n} items',
  failedItems: '{n} failed',
  elapsed: '{time} elapsed',
  eta: '~{time} left',

  /** Accessible name of the list of stages. */
  steps: 'Stages',
  /** Accessible name of the bar when there is no title. */
  progress: 'Progress',
  /** Read by screen readers for a determinate bar. */
  valueText: '{percent}',
  /** Read by screen readers when counts are known. */
  valueTextCount: '{percent} ({processed} of {total})',
  /** Read by screen readers for an indeterminate bar. */
  indeterminate: 'In progress, amount unknown',
}

/** The strings that take a count, and so may have plural forms. */
export type Counted = 'processed' | 'items' | 'failedItems'

/** Every string of the view: English's keys, and the plural forms a language needs. */
export type Labels = typeof en & Partial<Record<`${Counted}_${Intl.LDMLPluralRule}`, string>>

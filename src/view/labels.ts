/** Every string the widget shows. `{name}` is replaced by a value. */
export const labels = {
  pending: 'Pending',
  running: 'Running',
  waiting: 'Waiting',
  succeeded: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  /** The status shown once polling gave up (the message line says why); the job's own status is unknown. */
  lost: 'Not updating',
  /** The status of a job waiting for its next attempt after one of its own failed (Sidekiq's `retrying`). */
  attempt: 'Retrying (attempt {number})',
  /** The same, when the backend says how many attempts it allows. */
  attemptOf: 'Retrying (attempt {number} of {of})',
  /** Shown while polling waits to retry after a network or server error. */
  retrying: 'Reconnecting… next try in {seconds} s (attempt {attempt} of {limit})',
  /** Accessible name of the list of stages. */
  steps: 'Stages',
  /** Accessible name of the bar when there is no title. */
  progress: 'Progress',
  /** Read by screen readers for a determinate bar. */
  valueText: '{percent}%',
  /** Read by screen readers when counts are known. */
  valueTextCount: '{percent}% ({processed} of {total})',
  /** Read by screen readers for an indeterminate bar. */
  indeterminate: 'In progress, amount unknown',
  total: 'Total',
  processed: 'Processed',
  remaining: 'Remaining',
  failedItems: 'Failed',
  elapsed: 'Elapsed',
  eta: 'Time left',
  hours: '{n} h',
  minutes: '{n} min',
  seconds: '{n} s',
}

export type Labels = typeof labels

/** Fills `{name}` placeholders of a label. */
export const fill = (label: string, values: Record<string, string | number>): string =>
  label.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole))

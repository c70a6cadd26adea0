// The words of the jobs tray, in the tray's own module: a page without a tray loads none.

/**
 * The tray's strings in English. `{n}` is a count: `jobsRunning_one` is its singular. The
 * keys differ from the widget's, so that one `labels` object serves the tray and its rows.
 */
export const trayLabels = {
  /** The tray's name, for screen readers, when it has no `title`. */
  tray: 'Jobs',
  jobsRunning_one: '{n} job running',
  jobsRunning: '{n} jobs running',
  jobsWaiting_one: '{n} waiting for an answer',
  jobsWaiting: '{n} waiting for an answer',
  /** No job runs or waits. */
  idle: 'No job running',
  /** The list endpoint could not be reached, for now or for good. */
  listRetrying: 'Reconnecting…',
  listLost: 'Not updating',
  /** The row that stands for the jobs not shown. */
  more: '+{n} more',
  /** The close button of a row: `{title}` is the job's. */
  close: 'Close {title}',
  /** The link or button to a finished job's result. */
  result: 'See the result',
  /** What the tray's live region says: `{title}` and the job's status as its row shows it. */
  announce: '{title}: {status}',
  /** After three of them, what else changed in the same answer. */
  announceMore: 'And {n} more',
  /** A job without a title. */
  untitled: 'Job {id}',
  /** A saved job that ended while no page watched it, on its row. */
  away: 'Finished while you were away',
}

export type TrayLabels = typeof trayLabels &
  Partial<Record<`jobsRunning_${Intl.LDMLPluralRule}` | `jobsWaiting_${Intl.LDMLPluralRule}`, string>>

const fr: TrayLabels = {
  tray: 'Tâches',
  jobsRunning_one: '{n} tâche en cours',
  jobsRunning: '{n} tâches en cours',
  jobsWaiting_one: '{n} en attente de réponse',
  jobsWaiting: '{n} en attente de réponse',
  idle: 'Aucune tâche en cours',
  listRetrying: 'Reconnexion…',
  listLost: 'Suivi interrompu',
  more: '+{n} autres',
  close: 'Fermer {title}',
  result: 'Voir le résultat',
  announce: '{title}\u00a0: {status}',
  announceMore: 'Et {n} de plus',
  untitled: 'Tâche {id}',
  away: 'Terminée pendant votre absence',
}

/** The tray's strings by language. */
export const trayTables: Record<string, TrayLabels> = { en: trayLabels, fr }

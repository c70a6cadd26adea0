// The words of the widget's actions (answers, cancel, retry), in the actions' own chunk.

/** The actions' strings: part of `labels`. */
export const actionLabels = {
  /** The accessible name of a job's answers when it asks no question in words. */
  choices: 'Answers',
  /** The button that asks the server to cancel a pending or running job. */
  cancel: 'Cancel job',
  /** Asked before cancelling, unless `confirmCancel: false`. */
  cancelConfirm: 'Cancel this job? The work in progress may be lost.',
  cancelYes: 'Yes, cancel it',
  cancelNo: 'No, keep it',
  /** The button that asks the server to run a failed job again. */
  retry: 'Retry',
  sending: 'Sending…',
  /** After the server accepted an answer, until the job moves on. */
  answered: 'Answer sent. Waiting for the job to go on…',
  /** After the server accepted a cancel, until the job stops. */
  cancelling: 'Cancel requested. Waiting for the job to stop…',
  /** After the server accepted a retry, until the new run answers. */
  retried: 'Retry requested. Starting again…',
  /** A 409 or 410: another tab or person acted first. */
  conflict: 'Already done elsewhere (in another tab or by someone else).',
  /** A 403. */
  forbidden: 'You are not allowed to do this.',
  /** Any other failure; `{reason}` is `HTTP 500`, `no connection`, or what is missing. */
  failed: 'Could not send ({reason}). Try again.',
  noConnection: 'no connection',
}

export type ActionLabels = typeof actionLabels

/** The actions' strings in French. */
const fr: ActionLabels = {
  choices: 'Réponses',
  cancel: 'Annuler la tâche',
  cancelConfirm: 'Annuler cette tâche\u00a0? Le travail en cours peut être perdu.',
  cancelYes: 'Oui, l’annuler',
  cancelNo: 'Non, la garder',
  retry: 'Réessayer',
  sending: 'Envoi…',
  answered: 'Réponse envoyée. En attente de la suite de la tâche…',
  cancelling: 'Annulation demandée. En attente de l’arrêt de la tâche…',
  retried: 'Nouvel essai demandé. Redémarrage…',
  conflict: 'Déjà fait ailleurs (dans un autre onglet ou par quelqu’un d’autre).',
  forbidden: 'Vous n’avez pas le droit de faire cela.',
  failed: 'Envoi impossible ({reason}). Réessayez.',
  noConnection: 'pas de connexion',
}

/** The actions' strings by language: loaded with the actions only. */
export const actionTables: Record<string, ActionLabels> = { en: actionLabels, fr }

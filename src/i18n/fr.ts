import type { Labels } from './en'

// French typography: a no-break space before the colon.
/** Every string the widget shows, in French. */
export const fr: Labels = {
  pending: 'En file d’attente',
  running: 'En cours',
  waiting: 'En attente de réponse',
  succeeded: 'Terminé',
  failed: 'Échec',
  cancelled: 'Annulé',
  succeededIn: 'Terminé en {time}',
  failedAfter: 'Échec après {time}',
  cancelledAfter: 'Annulé après {time}',
  attempt: 'Nouvelle tentative ({number})',
  attemptOf: 'Nouvelle tentative ({number} sur {of})',
  stage: '{stage} · étape {number} sur {of}',

  reconnecting: 'Reconnexion',
  paused: 'En pause',
  lost: 'Suivi interrompu',
  notFound: 'Introuvable',
  unreadable: 'Illisible',
  unlisted: 'Terminée',
  retrying: 'Connexion perdue — nouvel essai dans {time}',
  retryingNow: 'Connexion perdue — nouvel essai…',
  pausedMessage: 'Mises à jour en pause tant que la page est masquée ou hors ligne.',
  unreachable:
    'Impossible de joindre le serveur. La tâche continue peut-être\u00a0: rechargez la page pour le vérifier.',
  vanished: 'Cette tâche n’existe plus sur le serveur.',
  unreadableMessage: 'Impossible de lire l’état de la tâche\u00a0: le serveur a envoyé autre chose.',
  signIn: 'Le serveur a envoyé une page web au lieu de l’état de la tâche\u00a0: reconnectez-vous peut-être.',
  denied: 'Vous n’avez pas accès à cette tâche\u00a0: reconnectez-vous peut-être.',
  serverError: 'Impossible d’obtenir l’état de la tâche (HTTP {status}).',
  tooLong: 'Suivi arrêté\u00a0: la tâche prend plus de temps que prévu.',
  unlistedMessage: 'Le serveur ne la liste plus\u00a0: on ignore comment elle s’est terminée.',

  processedOf: '{processed} sur {total}',
  processed_one: '{n} traité',
  processed: '{n} traités',
  items_one: '{n} élément',
  items: '{n} éléments',
  failedItems: '{n} en échec',
  elapsed: 'depuis {time}',
  eta: 'encore ~{time}',

  steps: 'Étapes',
  progress: 'Progression',
  valueText: '{percent}',
  valueTextCount: '{percent} ({processed} sur {total})',
  indeterminate: 'En cours, avancement inconnu',
}

// The demo page: starts msw's service worker (the simulated backend), then the widgets.
import { setupWorker } from 'msw/browser'
import { createJob, handlers, type Scenario, sent } from './backend'

// The script-tag build, loaded by the page before this file, as a server-rendered page would.
const { ProgressPolling } = window

const log = document.getElementById('log') as HTMLOListElement
function record(text: string): void {
  const item = document.createElement('li')
  item.textContent = `${new Date().toLocaleTimeString()}  ${text}`
  log.prepend(item)
  while (log.childElementCount > 40) log.lastElementChild?.remove()
}
for (const type of ['start', 'complete', 'error', 'action', 'finished-away']) {
  document.addEventListener(`progress-polling:${type}`, (event) => {
    const { detail } = event as CustomEvent<{ status?: string; message?: string; action?: string }>
    const target = (event.target as HTMLElement).dataset?.name ?? (type === 'finished-away' ? 'tray' : 'widget')
    const said =
      detail instanceof Error
        ? ` (${detail.name}: ${detail.message})`
        : detail.action
          ? ` (${detail.action}: HTTP ${detail.status})`
          : ''
    record(`${target}: progress-polling:${type}${said}`)
  })
}

// The widgets speak the page's language: `?lang=fr` makes the page, and so them, French.
const french = new URLSearchParams(location.search).get('lang') === 'fr'
document.documentElement.lang = french ? 'fr' : 'en'
const language = document.getElementById('language') as HTMLSelectElement
language.value = document.documentElement.lang
language.addEventListener('change', () => {
  const url = new URL(location.href)
  url.searchParams.set('lang', language.value)
  location.assign(url)
})

// A retried send (`resend`) is started by the server, not from the page; the archive to
// reload during (`reload`) goes to the tray.
const TITLES: Record<Exclude<Scenario, 'resend' | 'reload'>, [string, string, string]> = {
  success: ['Contact import', 'Import des contacts', '📥'],
  failure: ['Newsletter send', 'Envoi de la lettre', '✉️'],
  unknown: ['Report generation', 'Génération du rapport', '📊'],
  slow: ['Slow server (1.5 s per response)', 'Serveur lent (1,5 s par réponse)', '🐢'],
  flaky: ['Server errors (3 × 503, then back)', 'Erreurs serveur (3 × 503, puis retour)', '⚡'],
  stages: ['Video analysis (stages)', 'Analyse vidéo (étapes)', '🎬'],
  stream: ['Live stream (Server-Sent Events, no polling)', 'Flux en direct (Server-Sent Events)', '📡'],
  question: ['Contact import that asks a question', 'Import qui pose une question', '❔'],
  long: ['Re-indexing (2 minutes; cancel it)', 'Réindexation (2 minutes ; annulez-la)', '🗂️'],
  cancelled: ['Export cancelled by someone else', 'Export annulé par quelqu’un d’autre', '📤'],
  down: ['Server that goes down (gives up)', 'Serveur qui tombe (abandon)', '🔌'],
  login: ['Session that expires (a login page)', 'Session qui expire (page de connexion)', '🔑'],
}

const area = document.getElementById('widgets') as HTMLElement
function start(scenario: keyof typeof TITLES): void {
  const id = createJob(scenario)
  const box = document.createElement('div')
  box.className = 'slot'
  const [english, français, icon] = TITLES[scenario]
  box.dataset.name = `${english} #${id.split('-')[1]}`
  area.prepend(box)
  const steps = scenario === 'stages' ? ['uploading', 'indexing', 'analyzing'] : undefined
  const stream = scenario === 'stream' ? { transport: 'sse' as const, eventsUrl: 'api/jobs/{id}/events' } : {}
  // The one that goes down gives up after two retries rather than five, to be seen sooner.
  const retry = scenario === 'down' ? { retry: 2 } : {}
  const title = french ? français : english
  new ProgressPolling(box, id, { title, icon, pollInterval: 500, steps, ...stream, ...retry })
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-scenario]')) {
  button.addEventListener('click', () => {
    const scenarios = (button.dataset.scenario as string).split(' ') as (keyof typeof TITLES)[]
    for (const scenario of scenarios) start(scenario)
  })
}
document.getElementById('missing')?.addEventListener('click', () => {
  const box = document.createElement('div')
  box.className = 'slot'
  box.dataset.name = 'Unknown job'
  area.prepend(box)
  const title = french ? 'Une tâche que le serveur ne connaît pas' : 'A job the server does not know'
  new ProgressPolling(box, 'no-such-job', { title, icon: '❓' })
})
document.getElementById('clear')?.addEventListener('click', () => {
  area.replaceChildren()
  log.replaceChildren()
})

// Jobs are created in the page, so the declarative widget is added once the worker runs:
// it starts through the MutationObserver, as an htmx or Turbo swap would.
function addDeclarative(): void {
  const id = createJob('success')
  const box = document.createElement('div')
  box.className = 'slot'
  box.dataset.name = 'Declarative'
  box.setAttribute('data-progress-polling', `api/jobs/${id}/`)
  box.setAttribute('data-title', 'Declarative: <div data-progress-polling>')
  box.setAttribute('data-icon', '🏷️')
  box.setAttribute('data-poll-interval', '700')
  area.append(box)
}

await setupWorker(...handlers).start({
  serviceWorker: { url: './mockServiceWorker.js' },
  onUnhandledRequest: 'bypass',
  quiet: true,
})
ProgressPolling.defaults.url = 'api/jobs/{id}/'
// Answers, cancel and retry go to the job's own URLs; a real page adds its CSRF header here.
Object.assign(ProgressPolling.defaults, {
  respondUrl: 'api/jobs/{id}/respond/',
  cancelUrl: 'api/jobs/{id}/cancel/',
  retryUrl: 'api/jobs/{id}/retry/',
})
// The jobs tray: the session's list endpoint feeds the jobs the server lists, with one request
// every 2 s while any is active; more can be added from the page. The jobs added are saved:
// after a reload the tray follows them again, and says which ended while the page was away.
const tray = new ProgressPolling.Tray({
  persist: true,
  listUrl: 'api/session/jobs/',
  title: french ? 'Tâches de la session' : 'Jobs of this session',
  resultUrl: '#result-{id}',
  max: 4,
})
const words = (en: string, fr: string) => (french ? fr : en)
document.getElementById('tray-three')?.addEventListener('click', () => {
  createJob('success', words('Contact import', 'Import des contacts'))
  createJob('stages', words('Video analysis', 'Analyse vidéo'))
  createJob('question', words('Import that asks', 'Import qui demande'))
  tray.refresh()
})
document.getElementById('tray-add')?.addEventListener('click', () => {
  tray.add(createJob('failure'), { title: words('Newsletter send', 'Envoi de la lettre') })
})
document.getElementById('tray-stop-one')?.addEventListener('click', () => {
  const running = tray.jobs.find((job) => job.snapshot && !job.snapshot.terminal)
  if (running) tray.stop(running)
})
document.getElementById('tray-stop-all')?.addEventListener('click', () => tray.stopAll())
document.getElementById('tray-long')?.addEventListener('click', () => {
  tray.add(createJob('reload'), {
    title: words('Archive (40 s): reload the page', 'Archive (40 s) : rechargez la page'),
  })
})
// One tab of the browser polls a job for all of them: the others show its snapshots.
const counter = document.getElementById('requests') as HTMLElement
const count = () => {
  counter.textContent = words(
    `Status requests sent by this tab: ${sent.requests}`,
    `Requêtes de statut envoyées par cet onglet : ${sent.requests}`,
  )
}
addEventListener('demo:request', count)
count()
document.documentElement.dataset.ready = 'true'
// `?run=all`: every scenario at once; `?run=none`: no job but the tray's.
const initial = new URLSearchParams(location.search).get('run')
if (initial === 'all') for (const scenario of Object.keys(TITLES) as (keyof typeof TITLES)[]) start(scenario)
else if (initial !== 'none') start('success')
if (initial !== 'none') addDeclarative()

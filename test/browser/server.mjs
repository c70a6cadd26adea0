// A real HTTP server on 127.0.0.1 for the browser tests: the built dist/ files, test pages,
// and simulated jobs whose answers follow the number of requests they received.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, request as forward } from 'node:http'
import { extname } from 'node:path'

const root = new URL('../../', import.meta.url)
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.png': 'image/png' }

/** A default-format status at `percent`: completed at 100. */
const rowsAt = (percent) => ({
  status: percent >= 100 ? 'completed' : 'in_progress',
  total_items: 100,
  processed_items: percent,
  progress_percentage: percent,
  current_message: percent >= 100 ? 'Done' : `Row ${percent}`,
})

const ago = (seconds) => new Date(Date.now() - seconds * 1000).toISOString()
const rows = { total: 200, processed: 84, failed: 3, progress: 42 }
/**
 * The states of the design pictures: a status body, or (`http`) what the server answers
 * instead from the second request on (the first is the running import).
 */
export const LOOKS = {
  pending: () => ({ status: 'pending', message: 'Waiting for a worker…' }),
  running: () => ({ status: 'running', ...rows, message: 'Processing row 85 of 200', started_at: ago(30) }),
  indeterminate: () => ({ status: 'running', message: 'Analysing…', started_at: ago(12) }),
  stages: () => ({
    status: 'running',
    step: 'indexing',
    steps: ['uploading', 'indexing', 'analyzing', 'publishing'],
    progress: 25,
    message: 'Indexing 1,204 frames',
  }),
  waiting: () => ({
    status: 'waiting_user',
    total: 200,
    processed: 120,
    progress: 60,
    message: 'Waiting for a manager to approve the import',
    started_at: ago(50),
  }),
  succeeded: () => ({
    status: 'completed',
    total: 200,
    processed: 200,
    failed: 3,
    message: 'Imported 197 rows, 3 skipped',
    started_at: ago(74),
    completed_at: ago(0),
  }),
  failed: () => ({
    status: 'failed',
    total: 200,
    processed: 112,
    failed: 9,
    progress: 56,
    error: 'Row 113: the e-mail address "bob@" is not valid',
    started_at: ago(38),
    completed_at: ago(0),
  }),
  cancelled: () => ({
    status: 'cancelled',
    total: 200,
    processed: 64,
    progress: 32,
    message: 'Cancelled by Alice',
    started_at: ago(17),
    completed_at: ago(0),
  }),
  attempt: (count) => (count > 1 ? { status: 'retrying', message: 'Model overloaded' } : LOOKS.running()),
  reconnecting: { http: 503, headers: { 'retry-after': '20' } },
  notfound: { http: 404, first: true },
  html: { http: 200, headers: { 'content-type': 'text/html' }, text: '<!doctype html><title>Sign in</title>' },
  unreachable: { http: 502 },
  longtext: () => ({
    status: 'failed',
    progress: 40,
    error: `Rows refused: ${'row 113, the e-mail address "bob@" is not valid; '.repeat(400)}`,
  }),
  longstage: () => ({
    status: 'running',
    progress: 40,
    step: 'generating_thumbnails_for_every_scene_of_the_uploaded_video_in_three_sizes_and_two_formats',
  }),
  toolong: () => ({ status: 'running', ...rows, message: 'Processing row 85 of 200', started_at: ago(30) }),
}

/**
 * A session's list of jobs (`/lists/<name>/`), by the seconds since its first request: an
 * import that completes at 4 s, a video analysis by stages that completes at 6 s, a send that
 * fails at 3 s (all twice as fast in `*-fast` lists), and (in `mixed` lists) an approval that waits for an answer for ever.
 */
export function listOf(name, age) {
  // `*-fast` lists run twice as fast.
  const t = (age / 1000) * (name.endsWith('fast') ? 2 : 1)
  const stage = ['uploading', 'indexing', 'analyzing'][Math.min(2, Math.floor(t / 2))]
  const jobs = [
    t < 4
      ? { id: 'import', title: 'Contact import', status: 'running', progress: Math.round(t * 25), message: 'Importing' }
      : { id: 'import', title: 'Contact import', status: 'completed', progress: 100, message: 'Imported 200 rows' },
    t < 6
      ? {
          id: 'video',
          title: 'Video analysis',
          status: 'running',
          step: stage,
          steps: ['uploading', 'indexing', 'analyzing'],
        }
      : { id: 'video', title: 'Video analysis', status: 'completed', message: 'Video analysed' },
    t < 3
      ? { id: 'send', title: 'Newsletter send', status: 'running', progress: Math.round(t * 20) }
      : { id: 'send', title: 'Newsletter send', status: 'failed', progress: 60, error: 'Row 7: bad e-mail' },
  ]
  if (name.startsWith('mixed')) {
    jobs.push({
      id: 'approval',
      title: 'Price update',
      status: 'waiting_user',
      prompt: 'Apply the new prices to 1,204 products?',
      choices: [
        { id: 'apply', label: 'Apply', kind: 'primary' },
        { id: 'skip', label: 'Skip' },
      ],
    })
  }
  return { jobs }
}

/**
 * Jobs by name prefix. `count` is the number of the request (1-based).
 * - `quick-*`: pending, 30 %, 60 %, completed.
 * - `fail-*`: running 40 %, then failed with a message.
 * - `state-<status>-*`: stays in that status (for screenshots and accessibility checks).
 * - `flaky-*`: 503 forever (reconnecting).
 * - `retry-*`: running 42 %, then the job's own retry (retrying, attempt 2, "Model overloaded").
 * - `gone-*`: running 42 %, then an HTML login page, and so on (polling gives up: connection lost).
 * - `hostile-<n>`: every field is corpus string n.
 * - `sixty-*`: a job of 60 s from its first request; `sixty-etag-*` does not change until it ends.
 * - `soon-*`: a job of 1.5 s from its first request, asked or not.
 * - `every2-*`: a job of 60 s that changes every 2 s from its first request (like `stream-sixty-*`).
 * - `ask-*`: waits for an answer to "Replace the 12 existing contacts?" (POST
 *   `/jobs/<name>/respond/`), then runs one answer and completes; `ask-slow-*` answers the
 *   POST after a second.
 * - `long-*`: runs at 30 % until cancelled (POST `/jobs/<name>/cancel/`).
 * - `askhop-*`: waits, with a `respond_url` on this origin that redirects to another site.
 * - `xask-<n>`: waits with corpus string n as its id, question, answer and answer's kind.
 *   `fail-*` may be retried (POST `/jobs/<name>/retry/`: 201, the new job `quick-<name>`).
 * - `look-<state>-*`: the contact import of the design pictures in each state (`LOOKS`).
 */
function job(name, count, corpus, age) {
  if (name.startsWith('every2')) {
    // Step k of 30 from 2k seconds after the first request: the same job as stream-sixty.
    return rowsAt(Math.round((Math.min(30, Math.floor(age / 2000)) / 30) * 100))
  }
  if (name.startsWith('soon')) {
    // Done 1.5 s after its first request, whether anyone asks meanwhile or not.
    return rowsAt(Math.min(100, Math.floor(age / 15)))
  }
  if (name.startsWith('sixty')) {
    const percent = name.startsWith('sixty-etag') ? 50 : Math.min(100, Math.floor(age / 600))
    return rowsAt(age >= 60_000 ? 100 : percent)
  }
  if (name.startsWith('quick')) {
    return [
      { status: 'pending', current_message: 'Waiting for a worker' },
      { status: 'in_progress', total_items: 10, processed_items: 3, progress_percentage: 30, current_message: 'Row 3' },
      { status: 'in_progress', total_items: 10, processed_items: 6, progress_percentage: 60, current_message: 'Row 6' },
      { status: 'completed', total_items: 10, processed_items: 10, progress_percentage: 100, current_message: 'Done' },
    ][Math.min(count, 4) - 1]
  }
  if (name.startsWith('retry')) {
    // The job's own retry, as sidekiq-status passed on by a Rails controller reports it.
    return count === 1
      ? { status: 'working', total: 200, processed: 84, progress: 42, message: 'Processing row 84' }
      : { status: 'retrying', progress: '0', result: '{:error=>"Model overloaded"}' }
  }
  if (name.startsWith('fail')) {
    return count === 1
      ? { status: 'running', progress: 40 }
      : { status: 'failed', progress: 100, error: 'Row 7: bad e-mail' }
  }
  const state = name.startsWith('gone') ? 'running' : /^state-(\w+)-/.exec(name)?.[1]
  if (state) {
    const base = { total_items: 200, processed_items: 84, failed_items: 2, current_message: 'Processing row 84' }
    if (state === 'indeterminate') return { status: 'running', message: 'Thinking…' }
    if (state === 'waiting') return { status: 'waiting_input', progress: 50, message: 'Waiting for your answer' }
    if (state === 'failed') return { ...base, status: 'failed', error: 'Row 85: invalid e-mail address' }
    return {
      ...base,
      status: state,
      progress_percentage: state === 'completed' ? 100 : 42,
      started_at: new Date(Date.now() - 20000).toISOString(),
    }
  }
  if (name.startsWith('hostile')) {
    const text = corpus[Number(name.split('-')[1])]
    return {
      status: count < 2 ? text : 'failed',
      message: text,
      current_message: text,
      step: text,
      error: text,
      job_id: text,
    }
  }
  return undefined
}

/**
 * @param {{ corpus?: string[], pages?: Record<string, { body: string, type?: string, headers?: Record<string, string> }> }} [options]
 */
export async function startServer({ corpus = [], pages = {} } = {}) {
  const counts = new Map()
  /** The actions each job received, and what they did to it. */
  const acted = new Map()
  const times = new Map()
  /** The CSRF header the other site received, by job. */
  const stolen = new Map()
  const bytes = new Map()
  const firstSeen = new Map()
  const streams = new Map()
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const send = (status, body, headers = {}) => {
      response.writeHead(status, { 'cache-control': 'no-store', ...headers })
      response.end(body)
    }
    // Another site (localhost is not 127.0.0.1's origin) that takes any header from anyone,
    // and an open redirect to it on the test server's own origin.
    const evil = /^\/evil\/([^/]+)$/.exec(url.pathname)
    if (evil) {
      const cors = {
        'access-control-allow-origin': request.headers.origin ?? '*',
        'access-control-allow-headers': 'x-csrftoken, content-type',
        'access-control-allow-methods': 'POST',
      }
      if (request.method === 'POST') stolen.set(evil[1], request.headers['x-csrftoken'] ?? '')
      return send(204, '', cors)
    }
    const hop = /^\/jobs\/([^/]+)\/hop\/$/.exec(url.pathname)
    if (hop) return send(307, '', { location: `http://localhost:${server.address().port}/evil/${hop[1]}` })
    const actionMatch = /^\/jobs\/([^/]+)\/(respond|cancel|retry)\/$/.exec(url.pathname)
    if (actionMatch && request.method === 'POST')
      return act(decodeURIComponent(actionMatch[1]), actionMatch[2], request, send)
    const jobMatch = /^\/jobs\/([^/]+)\/$/.exec(url.pathname)
    if (jobMatch) {
      const name = decodeURIComponent(jobMatch[1])
      const count = (counts.get(name) ?? 0) + 1
      counts.set(name, count)
      times.set(name, [...(times.get(name) ?? []), Date.now()])
      if (!firstSeen.has(name)) firstSeen.set(name, Date.now())
      if (name.startsWith('flaky')) return send(503, '', { 'retry-after': '60' })
      const look = LOOKS[/^look-(\w+)-/.exec(name)?.[1]]
      if (look?.http && (count > 1 || look.first)) return send(look.http, look.text ?? '', look.headers)
      if (look) {
        const body = JSON.stringify(look.http ? LOOKS.running() : look(count))
        return send(200, body, { 'content-type': 'application/json' })
      }
      if (name.startsWith('gone') && count % 2 === 0) {
        return send(200, '<!doctype html><title>Sign in</title>', { 'content-type': 'text/html' })
      }
      const body = actedOn(name, count) ?? job(name, count, corpus, Date.now() - firstSeen.get(name))
      if (!body) return send(404, 'no such job')
      // Like a good status endpoint: an ETag, and 304 when the client has that version.
      const text = JSON.stringify(body)
      const etag = `"${createHash('sha1').update(text).digest('base64url').slice(0, 16)}"`
      if (request.headers['if-none-match'] === etag) return send(304, '', { etag })
      bytes.set(name, (bytes.get(name) ?? 0) + Buffer.byteLength(text))
      return send(200, text, { 'content-type': 'application/json', etag })
    }
    const listMatch = /^\/lists\/([^/]+)\/$/.exec(url.pathname)
    if (listMatch) {
      const name = `list:${listMatch[1]}`
      counts.set(name, (counts.get(name) ?? 0) + 1)
      times.set(name, [...(times.get(name) ?? []), Date.now()])
      if (!firstSeen.has(name)) firstSeen.set(name, Date.now())
      return send(200, JSON.stringify(listOf(listMatch[1], Date.now() - firstSeen.get(name))), {
        'content-type': 'application/json',
      })
    }
    const eventsMatch = /^\/events\/([^/]+)\/$/.exec(url.pathname)
    if (eventsMatch) return stream(decodeURIComponent(eventsMatch[1]), request, response, url)
    const page = pages[url.pathname]
    if (page) return send(200, page.body, { 'content-type': page.type ?? 'text/html; charset=utf-8', ...page.headers })
    if (/^\/(dist|node_modules\/axe-core|demo)\//.test(url.pathname)) {
      try {
        const file = readFileSync(new URL(`.${url.pathname}`, root))
        return send(200, file, { 'content-type': TYPES[extname(url.pathname)] ?? 'application/octet-stream' })
      } catch {
        return send(404, 'not found')
      }
    }
    send(404, 'not found')
  })
  /**
   * An action POST, checked like Django checks one: the `X-CSRFToken` header must be the
   * page's token (`csrf-token`), else 403. A second answer is a 409.
   */
  const act = (name, action, request, send) => {
    const state = acted.get(name) ?? { posts: [] }
    acted.set(name, state)
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      const csrf = request.headers['x-csrftoken'] ?? null
      state.posts.push({ action, body, csrf, at: Date.now() })
      if (csrf !== 'csrf-token') return send(403, JSON.stringify({ detail: 'CSRF token missing or incorrect' }))
      if (action === 'respond') {
        if (state.answer) return send(409, JSON.stringify({ detail: `Already answered: ${state.answer}` }))
        const answer = JSON.parse(body).choice
        // `ask-slow-*` takes a second to answer: long enough to see the answer being sent.
        return setTimeout(
          () => {
            state.answer = answer
            state.at = counts.get(name) ?? 0
            send(202, JSON.stringify({ accepted: answer }), { 'content-type': 'application/json' })
          },
          name.startsWith('ask-slow') ? 1000 : 0,
        )
      }
      if (action === 'cancel') {
        state.cancelled = true
        return send(204, '')
      }
      send(201, '', { location: `/jobs/quick-${name}/` })
    })
  }
  /** What an `ask-*` or `long-*` job says once acted on, or before. */
  const actedOn = (name, count) => {
    const state = acted.get(name)
    if (state?.cancelled) return { status: 'cancelled', job_id: name }
    if (name.startsWith('long')) return { status: 'running', job_id: name, progress: 30, message: 'Indexing' }
    if (name.startsWith('xask')) {
      const text = corpus[Number(name.split('-')[1])]
      return {
        status: 'waiting_user',
        job_id: text,
        prompt: text,
        choices: [{ id: text, label: text, kind: text }, text],
      }
    }
    if (name.startsWith('askhop')) {
      // Its answers go to an open redirect: a status body's URL on the right origin.
      return { status: 'waiting', job_id: name, choices: ['ok'], respond_url: `/jobs/${name}/hop/` }
    }
    if (!name.startsWith('ask')) return undefined
    if (!state?.answer) {
      return {
        status: 'waiting_user',
        job_id: name,
        progress: 40,
        message: '12 contacts already exist',
        prompt: 'Replace the 12 existing contacts?',
        choices: [
          { id: 'replace', label: 'Replace them', kind: 'danger' },
          { id: 'keep', label: 'Keep both' },
        ],
      }
    }
    return count - state.at <= 1
      ? { status: 'running', job_id: name, progress: 70, message: `Importing (${state.answer})` }
      : { status: 'completed', job_id: name, message: `Imported (${state.answer})` }
  }

  /**
   * Event streams by name prefix, one status body per event with its index as id, resumed
   * after `Last-Event-ID` (or `?lastEventId=`):
   * - `stream-*`: 0, 20 … 100 % every 100 ms, then open and silent (the client closes it).
   * - `stream-drop-*`: the same, but the first connection is cut after two events.
   * - `stream-404-*`: 404.
   * - `stream-sixty-*`: a job of 60 s that changes every 2 s, with a comment every 15 s.
   */
  const stream = (name, request, response, url) => {
    const seen = streams.get(name) ?? { connections: 0, resumes: [], started: Date.now() }
    streams.set(name, seen)
    seen.connections++
    if (name.startsWith('stream-404')) return response.writeHead(404).end('no such stream')
    const resume = request.headers['last-event-id'] ?? url.searchParams.get('lastEventId')
    if (resume !== null && resume !== undefined) {
      seen.resumes.push(`${request.headers['last-event-id'] !== undefined ? 'header' : 'query'} ${resume}`)
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    })
    response.flushHeaders()
    const sixty = name.startsWith('stream-sixty')
    const steps = sixty ? 30 : 5
    const every = sixty ? 2000 : 100
    let n = resume ? Number(resume) + 1 : 0
    let sent = 0
    const send1 = () => {
      if (n > steps) return
      const percent = Math.round((n / steps) * 100)
      const body = rowsAt(percent)
      response.write(`id: ${n}\ndata: ${JSON.stringify(body)}\n\n`)
      bytes.set(name, (bytes.get(name) ?? 0) + Buffer.byteLength(JSON.stringify(body)))
      n++
      sent++
      // Cut before the third event: the connection closes (FIN, not a reset, so that what
      // was sent arrives) in the middle of the chunked body, as a dropped proxy would.
      if (name.startsWith('stream-drop') && seen.connections === 1 && sent === 2) request.socket.end()
    }
    send1()
    const timer = setInterval(send1, every)
    const beat = setInterval(() => response.write(': keep-alive\n\n'), 15_000)
    request.on('close', () => {
      clearInterval(timer)
      clearInterval(beat)
    })
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    server,
    origin: `http://127.0.0.1:${server.address().port}`,
    requests: (name) => counts.get(name) ?? 0,
    /** Connections to a stream, and how each resumed (`header 3`, `query 3`). */
    stream: (name) => {
      const { connections, resumes } = streams.get(name) ?? { connections: 0, resumes: [] }
      return { connections, resumes }
    },
    /** When a job was first asked for, or its stream first opened (`Date.now()`). */
    since: (name) => firstSeen.get(name) ?? streams.get(name)?.started,
    bytes: (name) => bytes.get(name) ?? 0,
    /** The action POSTs a job received: `{ action, body, csrf, at }`. */
    posts: (name) => acted.get(name)?.posts ?? [],
    /** The CSRF header another site received through a redirect, if any. */
    stolen: (name) => stolen.get(name),
    /** When each request for a job's status came (`Date.now()`). */
    times: (name) => times.get(name) ?? [],
  }
}

/**
 * A proxy in front of `upstream` that holds every response body until it ends, like nginx
 * without `X-Accel-Buffering: no` or a gzip middleware: a JSON answer passes, a stream never.
 */
export async function startBufferingProxy(upstream) {
  const target = new URL(upstream)
  const sockets = new Set()
  const server = createServer((request, response) => {
    const outgoing = forward(
      { host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers },
      (answer) => {
        const chunks = []
        answer.on('data', (chunk) => chunks.push(chunk))
        answer.on('end', () => {
          response.writeHead(answer.statusCode ?? 502, answer.headers)
          response.end(Buffer.concat(chunks))
        })
      },
    )
    outgoing.on('error', () => response.destroy())
    response.on('close', () => outgoing.destroy())
    request.pipe(outgoing)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close() {
      for (const socket of sockets) socket.destroy()
      server.close()
    },
  }
}

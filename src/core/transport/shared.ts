// One poller per browser. The tabs that follow one status URL elect one (env/election.ts):
// it runs the job's own transport (polling or a stream) and posts every new snapshot on the
// job's channel, with a beat every 250 ms; the others show what it posts and request
// nothing. A new tab asks for the current snapshot at once. When the leader closes, hides
// or freezes, another takes over from the last snapshot: the Web Lock passes on the moment
// a tab closes, a hidden tab gives it up, and a follower that hears nothing for a second (a
// frozen leader keeps its lock) steals it. Snapshots carry the time they were read, so that
// a follower never goes back to an older one when two tabs lead for a moment.
// A transport rather than a store plugin: which tab requests is how the job is reached, and
// a tab switches between running the job's own transport and being fed, within one run.
import type { Channel } from '../../env/channel'
import { type Leadership, lead } from '../../env/election'
import { presence } from '../../env/presence'
import { after } from '../../env/timers'
import type { JobSnapshot } from '../../snapshot/types'
import { keyOf } from '../source'
import type { Transport, TransportEvent } from './types'

/** How often the leader says it is alive, and how long a follower waits to hear it. */
export const BEAT = 250
export const PATIENCE = 1000

/** What the tabs of one job say to each other. */
interface Message {
  /** A new tab asks the leader for the current snapshot. */
  ask?: boolean
  /** A follower acted on the job (answered, cancelled): the leader polls now. */
  refresh?: boolean
  /** The leader is alive. */
  beat?: boolean
  snapshot?: JobSnapshot
  /** When the leader read `snapshot`. */
  at?: number
  progressed?: boolean
}

const STATUSES = /^(pending|running|waiting|succeeded|failed|cancelled)$/

/** A snapshot as this version posts it: anything else on the channel is not ours to show. */
const readable = (snapshot: unknown): snapshot is JobSnapshot => {
  const { status, terminal, percent } = Object(snapshot) as Partial<JobSnapshot>
  return (
    STATUSES.test(String(status)) &&
    typeof terminal === 'boolean' &&
    (percent === null || (typeof percent === 'number' && percent >= 0 && percent <= 100))
  )
}

const same = (a: unknown, b: unknown) => {
  try {
    return JSON.stringify(a) === JSON.stringify(b)
  } catch {
    return false
  }
}

/** `inner`, run by one tab of the browser for all of them, which talk over the job's `channel`. */
export const share = (inner: Transport, channel: Channel): Transport =>
  async function* (ctx) {
    const { spec, signal, log } = ctx
    const key = keyOf(spec.url)

    const queue: TransportEvent[] = []
    let leadership: Leadership | undefined
    let leading = false
    /** Woken by this module rather than by `refresh()`. */
    let poked = false
    /** The time of the newest snapshot shown or posted. */
    let last = 0
    let posted: JobSnapshot | undefined
    let run: AbortController | undefined
    let stopBeat = () => {}
    let stopWatch = () => {}
    const post = (message: Message) => channel.post(message)
    const poke = () => {
      poked = true
      ctx.refresh()
    }
    // A paused snapshot (this tab is away) stays here; a lost one too: each tab then reaches
    // the job by itself, and says why it could not.
    const send = (again?: boolean) => {
      const { snapshot, progressed } = ctx.state()
      if (!snapshot || /paused|lost/.test(snapshot.connection ?? '')) return
      if (snapshot === posted && !again) return
      if (snapshot !== posted) last = Math.max(last + 1, Date.now())
      posted = snapshot
      post({ snapshot, at: last, progressed: again || progressed })
    }
    // A follower that hears nothing for PATIENCE ms takes over: the leader froze, or its
    // messages are lost. Within an interval and a second of the leader's last word.
    const watch = () => {
      stopWatch()
      stopWatch =
        leading || !leadership
          ? () => {}
          : after(PATIENCE, () => {
              log('the tab polling this job went silent: taking over')
              leadership?.steal()
            })
    }
    const beat = () => {
      post({ beat: true })
      stopBeat = after(BEAT, beat)
    }
    const onLead = () => {
      log('this tab polls the job for every tab')
      leading = true
      stopWatch()
      beat()
      poke()
    }
    const onLose = () => {
      leading = false
      stopBeat()
      run?.abort()
      watch()
      poke()
    }
    const contend = () => {
      leadership ??= lead(`1:job:${key}`, onLead, onLose)
      watch()
    }
    const withdraw = () => {
      leadership?.release()
      leadership = undefined
      stopWatch()
      if (leading) onLose()
    }
    // A hidden tab leaves the polling to a visible one; with `pauseWhenHidden: false` it
    // stays in line, and polls again when no visible tab wants to.
    let visible = presence().visible()
    const unsubscribe = presence().subscribe(() => {
      if (presence().visible() === visible) return
      visible = !visible
      if (!visible && leading) withdraw()
      if (visible || !spec.pauseWhenHidden) contend()
      else withdraw()
    })
    const off = channel.subscribe((data) => {
      const message = Object(data) as Message
      if (leading && message.ask) send(true)
      else if (leading && message.refresh) ctx.refresh()
      else if (!leading && leadership) watch()
      const { snapshot, at } = message
      // A leader takes no snapshot but the end another tab read: the last leader's, which
      // may come after this tab got the lock.
      if (readable(snapshot) && typeof at === 'number' && at > last && (!leading || snapshot.terminal)) {
        last = at
        queue.push({ type: 'snapshot', snapshot, progressed: message.progressed !== false })
        run?.abort()
        poke()
      }
    })

    try {
      post({ ask: true })
      if (visible || !spec.pauseWhenHidden) contend()
      while (!signal.aborted) {
        const event = queue.shift()
        if (event) {
          yield event
          continue
        }
        if (leading) {
          const current = new AbortController()
          run = current
          const end = () => current.abort()
          signal.addEventListener('abort', end)
          let cut = false
          // The first answer of a tab that takes over is often what the last leader posted;
          // later ones are compared by the transport itself.
          let first = true
          try {
            for await (let event of inner({ ...ctx, signal: current.signal })) {
              if (!leading || current.signal.aborted) break
              if (event.type === 'body' && first) {
                first = false
                if (same(event.body, ctx.state().snapshot?.raw)) event = { type: 'unchanged' }
              }
              yield event
              send()
            }
          } finally {
            cut = current.signal.aborted || !leading
            signal.removeEventListener('abort', end)
            current.abort()
          }
          // The job's own transport ended by itself: so does the job's.
          if (!cut) return
          continue
        }
        const why = await ctx.sleep(Infinity)
        // This tab's own `refresh()` (an answer sent from here): the leader polls now.
        if (why === 'refresh' && !poked) post({ refresh: true })
        poked = false
      }
    } finally {
      // The end the leader read (the job stops reading at once) reaches the others too.
      if (leading) send()
      unsubscribe()
      off()
      stopBeat()
      withdraw()
      channel.close()
    }
  }

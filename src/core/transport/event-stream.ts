// The text/event-stream format (WHATWG HTML, "Server-sent events", parsing an event
// stream), for streams read with fetch: lines end with CRLF, LF or CR (a CRLF may be split
// between two chunks), a leading BOM is dropped, `:` starts a comment, and an event is
// dispatched at each blank line.

/** One dispatched event. `id` is the last event id so far (it carries over between events). */
export interface StreamEvent {
  type: string
  data: string
  id: string
}

export interface StreamHandlers {
  onEvent(event: StreamEvent): void
  /** A comment line (`: keep-alive`): the stream is alive. */
  onComment?(text: string): void
  /** A `retry:` field: the reconnection time the server asks for, in milliseconds. */
  onRetry?(ms: number): void
}

export interface EventStreamParser {
  /** Reads the next piece of the decoded stream. */
  feed(text: string): void
  /** The last event id dispatched: what a reconnection sends as `Last-Event-ID`. */
  readonly lastId: string
}

/** A parser to `feed` with decoded text as it arrives, resuming after `lastId`. */
export function createEventStreamParser(handlers: StreamHandlers, lastId = ''): EventStreamParser {
  let pending = ''
  let started = false
  let skipLF = false
  let type = ''
  let data = ''
  let hasData = false
  let id = lastId
  let dispatched = lastId

  const line = (text: string) => {
    if (text === '') {
      // Dispatch: the id counts even for an event with no data.
      dispatched = id
      if (hasData) handlers.onEvent({ type: type || 'message', data, id })
      type = ''
      data = ''
      hasData = false
      return
    }
    if (text[0] === ':') return handlers.onComment?.(text.slice(1).replace(/^ /, ''))
    const colon = text.indexOf(':')
    const field = colon < 0 ? text : text.slice(0, colon)
    const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '')
    if (field === 'data') {
      data = hasData ? `${data}\n${value}` : value
      hasData = true
    } else if (field === 'event') type = value
    else if (field === 'id') {
      if (!value.includes('\0')) id = value
    } else if (field === 'retry' && /^\d+$/.test(value)) handlers.onRetry?.(Number(value))
  }

  return {
    get lastId() {
      return dispatched
    },
    feed(text) {
      if (!started && text) {
        started = true
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      }
      if (skipLF && text[0] === '\n') text = text.slice(1)
      skipLF = false
      pending += text
      let start = 0
      for (let i = 0; i < pending.length; i++) {
        const c = pending[i]
        if (c !== '\r' && c !== '\n') continue
        line(pending.slice(start, i))
        if (c === '\r') {
          if (i + 1 === pending.length) skipLF = true
          else if (pending[i + 1] === '\n') i++
        }
        start = i + 1
      }
      pending = pending.slice(start)
    },
  }
}

// The event-stream parser against the examples of the WHATWG HTML standard ("Server-sent
// events", "Parsing an event stream" and "Interpreting an event stream"), fed whole, and one
// character at a time (every chunk boundary).
import { describe, expect, it } from 'vitest'
import { createEventStreamParser, type StreamEvent } from '../../src/core/transport/event-stream'

function parse(chunks: string[], lastId = '') {
  const events: StreamEvent[] = []
  const comments: string[] = []
  const retries: number[] = []
  const parser = createEventStreamParser(
    { onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (ms) => retries.push(ms) },
    lastId,
  )
  for (const chunk of chunks) parser.feed(chunk)
  return { events, comments, retries, lastId: parser.lastId }
}
/** The same stream whole, and split at every character. */
const both = (text: string) => [parse([text]), parse([...text])]

describe('event-stream parser', () => {
  it('the stock example: two data lines joined with a newline, then ids that carry over', () => {
    const text =
      'data: YHOO\ndata: +2\ndata: 10\n\n: test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n'
    for (const result of both(text)) {
      expect(result.events).toEqual([
        { type: 'message', data: 'YHOO\n+2\n10', id: '' },
        { type: 'message', data: 'first event', id: '1' },
        { type: 'message', data: 'second event', id: '' },
        { type: 'message', data: ' third event', id: '' },
      ])
      expect(result.comments).toEqual(['test stream'])
    }
  })

  it('"data" alone is an empty data line; a last event without a blank line is dropped', () => {
    for (const { events } of both('data\n\ndata\ndata\n\ndata:')) {
      expect(events).toEqual([
        { type: 'message', data: '', id: '' },
        { type: 'message', data: '\n', id: '' },
      ])
    }
  })

  it('a space after the colon is dropped once: "data:test" and "data: test" are the same', () => {
    for (const { events } of both('data:test\n\ndata: test\n\n')) {
      expect(events.map((e) => e.data)).toEqual(['test', 'test'])
    }
  })

  it('CRLF, LF and CR all end lines, a CRLF split between chunks too', () => {
    expect(parse(['data: a\r\n\r\ndata: b\r\rdata: c\n\n']).events.map((e) => e.data)).toEqual(['a', 'b', 'c'])
    expect(parse(['data: a\r', '\n\r', '\ndata: b\r', '\r']).events.map((e) => e.data)).toEqual(['a', 'b'])
  })

  it('drops one leading byte order mark, only at the start', () => {
    expect(parse(['\uFEFFdata: a\n\n']).events.map((e) => e.data)).toEqual(['a'])
    expect(parse(['\uFEFF', 'data: a\n\n']).events.map((e) => e.data)).toEqual(['a'])
  })

  it('event names, retry with digits only, an id with NUL ignored, unknown fields ignored', () => {
    const { events, retries, lastId } = parse([
      'event: ping\ndata: x\n\nretry: 2500\nretry: 1e3\nretry: -1\nid: 7\0\nfoo: bar\ndata: y\nid: 8\n\n',
    ])
    expect(events).toEqual([
      { type: 'ping', data: 'x', id: '' },
      { type: 'message', data: 'y', id: '8' },
    ])
    expect(retries).toEqual([2500])
    expect(lastId).toBe('8')
  })

  it('resumes from a last id; an id with no data still counts at the blank line, not before', () => {
    expect(parse(['data: a\n\n'], '41').events[0]?.id).toBe('41')
    expect(parse(['id: 42\n\n']).lastId).toBe('42')
    expect(parse(['id: 42\ndata: half']).lastId).toBe('')
  })

  it('JSON status bodies split anywhere', () => {
    const body = JSON.stringify({ status: 'in_progress', progress_percentage: 40, current_message: 'ligne 4 : é' })
    for (const { events } of both(`id: 3\ndata: ${body}\n\n`))
      expect(JSON.parse(events[0]?.data ?? '')).toMatchObject({ progress_percentage: 40 })
  })
})

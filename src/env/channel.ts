// A message channel between the tabs of one browser (BroadcastChannel). Where there is
// none (old Safari, some embedded browsers), or no page (Node), it is a channel nobody
// hears, marked `alone`. Replaceable with `setChannels` for tests.

export interface Channel {
  post(message: unknown): void
  /** Calls `listener` with every message another tab posts. Returns the function that unsubscribes. */
  subscribe(listener: (message: unknown) => void): () => void
  close(): void
  /** Nobody can hear this channel: there is nothing to share with. */
  alone?: boolean
}

/** A channel nobody hears. */
export const alone: Channel = { post() {}, subscribe: () => () => {}, close() {}, alone: true }

export type ChannelFactory = (name: string) => Channel

const broadcast: ChannelFactory = (name) => {
  if (typeof BroadcastChannel !== 'function' || typeof document === 'undefined') return alone
  const channel = new BroadcastChannel(name)
  const listeners = new Set<(message: unknown) => void>()
  channel.onmessage = (event) => {
    for (const listener of [...listeners]) listener(event.data)
  }
  return {
    post(message) {
      try {
        channel.postMessage(message)
      } catch {
        // A closed channel or a message that cannot be cloned: other tabs poll by themselves.
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      listeners.clear()
      channel.close()
    },
  }
}

let factory = broadcast

/** Opens a channel named `name`. */
export const openChannel = (name: string): Channel => factory(name)

/** Replaces how channels are opened (`undefined` restores BroadcastChannel). */
export function setChannels(open?: ChannelFactory): void {
  factory = open ?? broadcast
}

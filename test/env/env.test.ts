import { describe, expect, it, vi } from 'vitest'
import { openChannel, setChannels } from '../../src/env/channel'
import { BEAT, lead, PATIENCE } from '../../src/env/election'
import { type Locks, setLocks } from '../../src/env/lock'
import { pagePresence } from '../../src/env/presence'
import { keys, read, remove, setStorage, write } from '../../src/env/storage'
import { after as schedule } from '../../src/env/timers'
import { fakeChannels, fakeStorage } from '../helpers/env'

describe('timers', () => {
  it('never fires for Infinity or NaN, and leaves no timer', () => {
    vi.useFakeTimers()
    const fn = vi.fn()
    schedule(Infinity, fn)
    schedule(Number.NaN, fn)
    expect(vi.getTimerCount()).toBe(0)
    vi.useRealTimers()
  })

  it('fires a delay longer than 2^31-1 ms on time, not at once', () => {
    vi.useFakeTimers()
    const fn = vi.fn()
    const days40 = 40 * 24 * 3_600_000
    schedule(days40, fn)
    vi.advanceTimersByTime(days40 - 1)
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(fn).toHaveBeenCalledTimes(1)
    vi.useRealTimers()
  })

  it('cancels', () => {
    vi.useFakeTimers()
    const fn = vi.fn()
    schedule(100, fn)()
    vi.advanceTimersByTime(200)
    expect(fn).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
    vi.useRealTimers()
  })
})

describe('presence', () => {
  it('is visible and online where there is no page (Node)', () => {
    expect(pagePresence.visible()).toBe(true)
    expect(pagePresence.online()).toBe(true)
  })
})

describe('storage', () => {
  it('stores, lists by prefix and removes', () => {
    fakeStorage()
    expect(write('progress-polling:a', '1')).toBe(true)
    write('other', '2')
    expect(read('progress-polling:a')).toBe('1')
    expect(keys('progress-polling:')).toEqual(['progress-polling:a'])
    remove('progress-polling:a')
    expect(read('progress-polling:a')).toBeNull()
  })

  it('reads nothing and writes nothing, without throwing, when storage is disabled, full or absent', () => {
    const { mode } = fakeStorage()
    mode.full = true
    expect(write('k', 'v')).toBe(false)
    mode.disabled = true
    expect(read('k')).toBeNull()
    expect(keys('')).toEqual([])
    expect(() => remove('k')).not.toThrow()
    setStorage(null)
    expect(write('k', 'v')).toBe(false)
    expect(read('k')).toBeNull()
    setStorage()
  })
})

describe('channel', () => {
  it('carries messages between two channels of one name in a page (BroadcastChannel)', async () => {
    setChannels()
    vi.stubGlobal('document', {})
    const a = openChannel('progress-polling:test')
    const b = openChannel('progress-polling:test')
    const got = new Promise((resolve) => b.subscribe(resolve))
    a.post({ hello: 1 })
    expect(await got).toEqual({ hello: 1 })
    a.close()
    b.close()
  })

  it('is a channel nobody hears where BroadcastChannel is absent, or outside a page', () => {
    setChannels()
    expect(openChannel('x').alone).toBe(true)
    vi.stubGlobal('document', {})
    vi.stubGlobal('BroadcastChannel', undefined)
    const channel = openChannel('x')
    expect(channel.alone).toBe(true)
    expect(() => channel.post({})).not.toThrow()
    channel.subscribe(() => {})()
    channel.close()
  })
})

describe('leadership', () => {
  it('uses the Web Locks API when there is one, and gives the lock back', async () => {
    const held: string[] = []
    const locks: Locks = {
      request: (async (name: string, _options: LockOptions, callback: () => Promise<void>) => {
        held.push(name)
        await callback()
        held.splice(held.indexOf(name), 1)
      }) as never,
    }
    setLocks(locks)
    const onLead = vi.fn()
    const { release } = lead('job', onLead)
    await Promise.resolve()
    expect(onLead).toHaveBeenCalledTimes(1)
    expect(held).toEqual(['progress-polling:job'])
    release()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(held).toEqual([])
    setLocks()
  })

  it('elects one leader over a channel without locks, and hands over when it leaves or goes silent', async () => {
    vi.useFakeTimers()
    setLocks(null)
    const net = fakeChannels()
    const leads: string[] = []
    const { release: releaseA } = lead('job', () => leads.push('a'))
    await vi.advanceTimersByTimeAsync(1000)
    const { release: releaseB } = lead('job', () => leads.push('b'))
    const { release: releaseC } = lead('job', () => leads.push('c'))
    await vi.advanceTimersByTimeAsync(10 * BEAT)
    expect(leads).toEqual(['a'])
    releaseA()
    await vi.advanceTimersByTimeAsync(1000)
    expect(leads).toHaveLength(2)
    // The new leader goes silent (a frozen tab): the other takes over after PATIENCE.
    net.cut()
    await vi.advanceTimersByTimeAsync(PATIENCE + 1000)
    expect(leads).toHaveLength(3)
    expect(new Set(leads.slice(1))).toEqual(new Set(['b', 'c']))
    releaseB()
    releaseC()
    expect(vi.getTimerCount()).toBe(0)
    setLocks()
    vi.useRealTimers()
  })
})

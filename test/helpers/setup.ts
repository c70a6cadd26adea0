// Every test is one tab alone unless it opens more (`fakeChannels`): no job is shared with
// another test's through the process's BroadcastChannel.
import { beforeEach } from 'vitest'
import { alone, setChannels } from '../../src/env/channel'

beforeEach(() => setChannels(() => alone))

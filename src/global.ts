// The script-tag build: `window.ProgressPolling`, with everything else hung on it.
import { pollJob } from './core/poller'
import { autoInit, init } from './declarative/auto-init'
import * as errors from './errors'
import { registerFormat } from './formats/index'
import { ProgressPolling } from './view/widget'

const global = Object.assign(ProgressPolling, errors, { pollJob, init, registerFormat })

declare global {
  interface Window {
    ProgressPolling: typeof global
  }
}

window.ProgressPolling = global
autoInit()

// The script-tag build: `window.ProgressPolling`, with everything else hung on it.
import { autoInit, init } from './declarative/auto-init'
import * as errors from './errors'
import { registerFormat } from './formats/index'
import { pollJob } from './store/poll-job'
import { ProgressTray } from './view/tray'
import { ProgressPolling } from './view/widget'

// The error classes, by name; the module's helpers are not part of the API.
const { invalidResponse, asPollingError, ...classes } = errors
const global = Object.assign(ProgressPolling, classes, { pollJob, init, registerFormat, Tray: ProgressTray })

declare global {
  interface Window {
    ProgressPolling: typeof global
  }
}

window.ProgressPolling = global
autoInit()

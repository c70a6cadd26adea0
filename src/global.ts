// The script-tag build: `window.ProgressPolling`, with everything else hung on it.
import { autoInit, init } from './declarative/auto-init'
import {
  HttpError,
  InvalidResponseError,
  JobCancelledError,
  JobFailedError,
  JobVanishedError,
  NetworkError,
  PollingLimitError,
  PollingStoppedError,
  ProgressPollingError,
  RequestTimeoutError,
  RetryLimitError,
} from './errors'
import { registerFormat } from './formats/index'
import { pollJob } from './store/poll-job'
import { ProgressPolling } from './view/widget'

const global = Object.assign(ProgressPolling, {
  HttpError,
  InvalidResponseError,
  JobCancelledError,
  JobFailedError,
  JobVanishedError,
  NetworkError,
  PollingLimitError,
  PollingStoppedError,
  ProgressPollingError,
  RequestTimeoutError,
  RetryLimitError,
  pollJob,
  init,
  registerFormat,
})

declare global {
  interface Window {
    ProgressPolling: typeof global
  }
}

window.ProgressPolling = global
autoInit()

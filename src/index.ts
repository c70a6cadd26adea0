export type { PollJobOptions } from './core/options'
export type { RetryOptions } from './core/retry'
export type { JobSource } from './core/source'
export { init } from './declarative/auto-init'
export {
  HttpError,
  InvalidResponseError,
  JobCancelledError,
  JobFailedError,
  JobUnlistedError,
  JobVanishedError,
  NetworkError,
  PollingLimitError,
  PollingStoppedError,
  ProgressPollingError,
  RequestTimeoutError,
  RetryLimitError,
} from './errors'
export { type Format, type ResponseMeta, registerFormat } from './formats/index'
export type { Choice, JobSnapshot, JobStatus, SnapshotFields } from './snapshot/types'
export { type PollJob, pollJob } from './store/poll-job'
export type { ProgressPollingOptions, WidgetLabels as Labels } from './view/options'
export { ProgressTray, type ProgressTrayOptions } from './view/tray'
export { type ContainerInput, ProgressPolling } from './view/widget'

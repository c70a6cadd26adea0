// progress-polling/vue: a shared job's live snapshot as Vue refs. In a component, polling
// starts once it is mounted (never during server rendering); elsewhere, at once.
import {
  getCurrentInstance,
  getCurrentScope,
  type MaybeRefOrGetter,
  onMounted,
  onScopeDispose,
  type ShallowRef,
  shallowRef,
  toValue,
  watch,
} from 'vue'
import {
  type JobSnapshot,
  type JobSource,
  type PollJob,
  type PollJobOptions,
  type ProgressPollingError,
  pollJob,
} from '../index'
import { actOn, type JobControls, leave } from './act'

/** What `useJob` returns. */
export interface UseJob extends JobControls {
  /** The latest snapshot; `undefined` before the first answer, with no job, and on the server. */
  snapshot: ShallowRef<JobSnapshot | undefined>
  /** Why following the job ended, when it did not succeed (`JobFailedError`, `HttpError`, …). */
  error: ShallowRef<ProgressPollingError | undefined>
}

/**
 * Follows a job and keeps `snapshot` and `error` up to date. `source` may be a value, a ref
 * or a getter: when it changes, the previous job is left and the new one followed; `null`
 * or `undefined` means no job yet. Components on one job share one request stream; the job
 * is left when the component's scope ends.
 * @example
 * const jobId = ref<string | null>(null)
 * const { snapshot, error } = useJob(() => jobId.value && `/jobs/${jobId.value}/`)
 */
export function useJob(source: MaybeRefOrGetter<JobSource | null | undefined>, options: PollJobOptions = {}): UseJob {
  const snapshot = shallowRef<JobSnapshot>()
  const error = shallowRef<ProgressPollingError>()
  let handle: PollJob | undefined
  const leaveJob = () => {
    leave(handle)
    handle = undefined
  }
  const follow = (value: JobSource | null | undefined) => {
    leaveJob()
    snapshot.value = undefined
    error.value = undefined
    if (value == null || value === '') return
    handle = pollJob(value, {
      ...options,
      onError: (reason) => {
        error.value = reason
        options.onError?.(reason)
      },
    })
    handle.subscribe((next) => {
      snapshot.value = next
    })
  }
  const start = () => watch(() => toValue(source), follow, { immediate: true })
  if (getCurrentInstance()) onMounted(start)
  else start()
  if (getCurrentScope()) onScopeDispose(leaveJob)
  return {
    snapshot,
    error,
    stop: () => handle?.stop(),
    restart: () => {
      error.value = undefined
      handle?.restart()
    },
    ...actOn(
      () => handle,
      () => {
        error.value = undefined
      },
    ),
  }
}

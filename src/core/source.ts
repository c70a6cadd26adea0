import type { PollJobOptions } from '../options'

/** A status URL, or a job id (a string or a number) to put into the `url` option. */
export type JobSource = string | number

// A URL has a slash, a query or a scheme; anything else is an id (`42`, `abc-123`, a UUID).
const looksLikeUrl = (source: string): boolean => /[/?]/.test(source) || /^[a-z][a-z\d+.-]*:/i.test(source)

/** Turns the source into the status URL, or throws a `TypeError` that says how to fix it. */
export function resolveUrl(source: JobSource, template: PollJobOptions['url']): string {
  if (typeof source === 'string' && source.trim() === '') {
    throw new TypeError('progress-polling: the job source is empty; pass a status URL or a job id')
  }
  if (typeof source === 'string' && looksLikeUrl(source)) return source
  if (typeof source !== 'string' && typeof source !== 'number') {
    throw new TypeError(`progress-polling: the job source must be a URL or a job id, got ${typeof source}`)
  }
  const id = String(source)
  if (typeof template === 'function') {
    const url = template(id)
    if (typeof url !== 'string' || url === '') {
      throw new TypeError(
        `progress-polling: the \`url\` function returned ${JSON.stringify(url)} for job id "${id}"; it must return the status URL`,
      )
    }
    return url
  }
  if (typeof template === 'string') {
    if (!template.includes('{id}')) {
      throw new TypeError(
        `progress-polling: the \`url\` option "${template}" has no {id} placeholder for job id "${id}"; write it like "/jobs/{id}/"`,
      )
    }
    return template.split('{id}').join(encodeURIComponent(id))
  }
  throw new TypeError(
    `progress-polling: "${id}" is a job id but there is no \`url\` template to put it in. ` +
      `Pass the status URL itself ("/jobs/${id}/"), or set the url option ({ url: "/jobs/{id}/" }, or ProgressPolling.defaults.url for the whole site).`,
  )
}

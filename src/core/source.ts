import type { PollJobOptions } from './options'

/** A status URL, or a job id (a string or a number) to put into the `url` option. */
export type JobSource = string | number

// A URL has a slash or a query; anything else is an id (`42`, `abc-123`, a UUID, and ids
// with colons such as `import:42`, `bull:emails:42` or `urn:uuid:…`).
const looksLikeUrl = (source: string): boolean => /[/?]/.test(source)

/** The job's id when the source is one, not a URL. */
export const idOf = (source: JobSource): string | undefined =>
  looksLikeUrl(String(source)) ? undefined : String(source)

/**
 * A URL option with a job's id put in: a template's `{id}` URL-encoded, or what a function
 * makes of it. The id is never taken for a URL, whatever it holds (a body's id may hold `/`).
 */
export const withId = (template: string | ((id: string) => string), id: string): unknown =>
  typeof template === 'function' ? template(id) : template.split('{id}').join(encodeURIComponent(id))

/** Turns the source into the status URL, or throws a `TypeError` that says how to fix it. */
export function resolveUrl(source: JobSource, template: PollJobOptions['url']): string {
  const id = String(source)
  if ((typeof source !== 'string' && typeof source !== 'number') || !id.trim()) {
    throw new TypeError(
      `progress-polling: the job source must be a status URL or a job id, got ${JSON.stringify(source)}`,
    )
  }
  const url =
    typeof source === 'string' && looksLikeUrl(source)
      ? source
      : typeof template === 'function' || template?.includes('{id}')
        ? withId(template, id)
        : undefined
  if (typeof url !== 'string' || !url) {
    throw new TypeError(
      `progress-polling: "${id}" is a job id, so the \`url\` option must be a template with {id} (got ${
        typeof template === 'function' ? `a function that returned ${JSON.stringify(url)}` : JSON.stringify(template)
      }). Set { url: "/jobs/{id}/" } (or ProgressPolling.defaults.url for the whole site), or pass the status URL itself ("/jobs/${id}/").`,
    )
  }
  return url
}

/**
 * The stream's URL from the `eventsUrl` option: a function of the status URL, a URL, or a
 * template whose `{id}` is filled with the job's id when the job was given by its id.
 */
export const resolveEventsUrl = (source: JobSource, url: string, option: PollJobOptions['eventsUrl']) =>
  typeof option === 'function'
    ? option(url)
    : looksLikeUrl(String(source))
      ? option
      : option && (withId(option, String(source)) as string)

/** The key of a status URL: absolute where the page allows, so `/jobs/1/` and its full URL are one job. */
export function keyOf(url: string): string {
  try {
    return new URL(url, globalThis.location?.href).href
  } catch {
    return url
  }
}

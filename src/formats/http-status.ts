import type { Format } from './types'

/**
 * HTTP status only (the Azure Resource Manager `Location` pattern, RFC 7231's 202): a 202 is
 * a running job, whatever its body; a 200, 201 or 204 is a finished one, and its body, if
 * any, is the result. A `Location` or `Operation-Location` header is followed.
 */
export const httpStatus: Format = {
  order: 12,
  detect: (body, meta) => body === undefined && meta.status === 202,
  read: (body, meta) => (meta.status === 202 ? { status: 'running' } : { status: 'succeeded', result: body }),
}

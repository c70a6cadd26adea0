import { type Format, first, lower } from '../types'

/**
 * Microsoft status monitors: the Azure REST guidelines (`{ id, status: 'NotStarted' |
 * 'Running' | 'Succeeded' | 'Failed' | 'Canceled', error, result }`), the legacy
 * guidelines (lower case, `percentComplete` possibly a string) and ARM's
 * Azure-AsyncOperation (`percentComplete`, `startTime`, `endTime`, RP-defined running
 * states such as `InProgress`). Compared case-insensitively; `Cancelled` is accepted too.
 */
export const azure: Format = {
  order: 8,
  detect: (body) =>
    !!body &&
    typeof body.status === 'string' &&
    (/^(NotStarted|Running|Succeeded|Failed|Canceled|notstarted)$/.test(body.status) || 'percentComplete' in body),
  read(body) {
    if (typeof body?.status !== 'string') return undefined
    const word = lower(body.status)
    return {
      status: word === 'notstarted' ? 'pending' : word === 'inprogress' ? 'running' : body.status,
      percent: body.percentComplete,
      result: first(body, 'result', 'properties', 'resourceLocation'),
      error: body.error,
      startedAt: first(body, 'startTime', 'createdDateTime'),
      completedAt: first(body, 'endTime'),
    }
  },
}

// progress-polling/formats: the adapters that are not built in, registered on import for
// `format: 'auto'` and by name. The script-tag form is dist/progress-polling.formats.global.min.js.
import { registerFormat } from '../registry'
import { activejobStatus } from './activejob-status'
import { azure } from './azure'
import { bullmq } from './bullmq'
import { celery } from './celery'
import { githubActions } from './github-actions'
import { googleLro } from './google-lro'
import { laravelBatch } from './laravel-batch'
import { laravelJobStatus } from './laravel-job-status'
import { ogc } from './ogc'
import { rq } from './rq'

export const formats = {
  celery,
  'activejob-status': activejobStatus,
  rq,
  bullmq,
  'laravel-batch': laravelBatch,
  'laravel-job-status': laravelJobStatus,
  'google-lro': googleLro,
  azure,
  ogc,
  'github-actions': githubActions,
}

for (const [name, format] of Object.entries(formats)) registerFormat(name, format)

export type { Format } from '../types'
export { registerFormat }

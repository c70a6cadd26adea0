import { words } from '../../src/i18n/intl'
import type { ViewOptions } from '../../src/view/render'

/** A view's options as a widget with every default gives them, in English. */
export const VIEW: ViewOptions = {
  title: '',
  icon: '',
  showDetails: true,
  showStats: true,
  variant: 'default',
  words: words('en'),
  stageLabels: {},
}

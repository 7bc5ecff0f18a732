import { formatDateTime } from './format.js';

/** Functions every view may call (app.locals). Keep them pure: they format, they never fetch. */
export const viewHelpers = {
  formatDateTime,
};

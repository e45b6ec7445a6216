// How values read on the page.

export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

export function number(value, digits = 1) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
}

/** "used / limit unit", e.g. "35 / 80 %"; "–" without a heartbeat. */
export function against(used, limit, unit = '', digits = 0) {
  if (used === null || used === undefined) return '–';
  const left = Number(used).toFixed(digits);
  return limit === null || limit === undefined ? `${left}${unit}` : `${left} / ${limit}${unit}`;
}

/** True when used has reached the limit (shown as over capacity). */
export function full(used, limit) {
  return used !== null && used !== undefined && limit !== null && limit !== undefined && limit > 0 && used >= limit;
}

// Alerts: GET /alerts?state=active and ?state=history (the alert grain's firing/pending and recent ones).

import { ApiError, call } from './api.js';
import { emptyRow, placeholder, setClass, setText, syncRows } from './dom.js';
import { ago, number, time } from './format.js';

export async function load() {
  try {
    const [active, history] = await Promise.all([call('alerts?state=active'), call('alerts?state=history&limit=20')]);
    return { active: active.items, history: history.items, unavailable: null };
  } catch (e) {
    // A silo without the alerts route (404) still shows the rest of the page.
    if (e instanceof ApiError && e.status === 404) return { active: [], history: [], unavailable: e.message };
    throw e;
  }
}

export function render(alerts) {
  const note = document.getElementById('alerts-unavailable');
  note.hidden = !alerts.unavailable;
  setText(note, alerts.unavailable ? `Alerts are not available on this silo: ${alerts.unavailable}` : '');
  setText(document.getElementById('alerts-count'), `(${alerts.active.length} active)`);
  setClass(document.getElementById('alerts-count'), 'alarm', alerts.active.some((a) => a.state === 'firing'));
  fill(document.getElementById('alerts-active').tBodies[0], alerts.active, 7, 'No active alerts.', false);
  fill(document.getElementById('alerts-history').tBodies[0], alerts.history, 8, 'No recent alerts.', true);
}

function fill(tbody, items, columns, empty, ended) {
  if (items.length === 0) {
    placeholder(tbody, columns, empty);
    return;
  }
  syncRows(tbody, items, (a) => `${a.id}:${a.state}`, () => emptyRow(columns), (row, a) => {
    const c = row.cells;
    setText(c[0], a.rule);
    setText(c[1], a.subject || 'cluster');
    setText(c[2], a.state);
    setClass(row, 'firing', a.state === 'firing');
    setText(c[3], number(a.value));
    setText(c[4], number(a.threshold));
    setText(c[5], ago(a.startedAt));
    c[5].title = time(a.startedAt);
    if (ended) {
      setText(c[6], ago(a.endedAt));
      c[6].title = time(a.endedAt);
    }
    setText(c[columns - 1], a.summary);
  });
}

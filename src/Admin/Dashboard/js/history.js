// A map's placement history (GET /maps/{name}): its policy, assignment and the last decisions with every candidate
// considered, its score and why a refused one was refused. Kept fresh with the rest of the page while open.

import { ApiError, call, seg } from './api.js';
import { el, setText } from './dom.js';
import { number, time } from './format.js';

let current = null;
let refresh = async () => {};

export function init(refreshPage) {
  refresh = refreshPage;
  document.getElementById('history-close').addEventListener('click', close);
}

export function openMap() {
  return current;
}

export async function open(map) {
  current = map;
  const section = document.getElementById('history');
  setText(document.getElementById('history-heading'), `Placement history: ${map}`);
  section.hidden = false;
  await refresh();
  section.scrollIntoView({ block: 'nearest' });
  document.getElementById('history-close').focus();
}

function close() {
  current = null;
  document.getElementById('history').hidden = true;
}

export async function load() {
  if (!current) return null;
  try {
    return await call(`maps/${seg(current)}`);
  } catch (e) {
    // The map left the configuration: nothing to show, and no error every 5 s.
    if (e instanceof ApiError && e.status === 404) {
      close();
      return null;
    }
    throw e;
  }
}

export function render(detail) {
  if (!detail || detail.summary.name !== current) return;
  const p = detail.summary.policy;
  const a = detail.assignment;
  setText(document.getElementById('history-policy'),
    `Policy${detail.policyOverridden ? ' (changed at run time)' : ''}: ` +
    `${p.critical ? 'critical (VPS only)' : p.p2pAllowed ? 'P2P allowed' : 'VPS only'}, ` +
    `min score ${p.minScore}, max ${p.maxPlayers} players. ` +
    (a ? `Assigned to ${a.hostId} (${a.hostKind}) at ${a.endpoint}, epoch ${a.epoch}, ${time(a.assignedAt)}.` : 'Not assigned.'));
  // Rebuilt only when the history changed: it is not refreshed cell by cell.
  const signature = JSON.stringify(detail.history);
  const list = document.getElementById('history-list');
  if (list.dataset.signature === signature) return;
  list.dataset.signature = signature;
  if (detail.history.length === 0) {
    list.replaceChildren(el('p', {}, 'No placement decisions recorded yet.'));
    return;
  }
  list.replaceChildren(...detail.history.map(decision));
}

function decision(record) {
  const where = record.hostId ? `${record.hostId} (${record.kind})` : 'no host';
  const head = el('h3', {}, `Epoch ${record.epoch}: ${where} — ${record.reason}`);
  const when = el('p', { className: 'when' }, `${time(record.decidedAt)}${record.score ? `, score ${number(record.score.total)}` : ''}`);
  const rows = record.candidates.map((c) => el('tr', { className: c.hostId === record.hostId ? 'chosen' : '' },
    el('th', { scope: 'row' }, c.hostId),
    el('td', {}, c.kind),
    el('td', {}, number(c.score?.total)),
    el('td', {}, breakdown(c.score)),
    el('td', {}, c.refused ?? (c.hostId === record.hostId ? 'chosen' : ''))));
  const table = record.candidates.length === 0 ? el('p', {}, 'No candidates recorded.') : el('table', { className: 'candidates' },
    el('caption', {}, `Candidates for ${record.map} at epoch ${record.epoch}`),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Host'), el('th', { scope: 'col' }, 'Kind'), el('th', { scope: 'col' }, 'Score'),
      el('th', { scope: 'col' }, 'Breakdown'), el('th', { scope: 'col' }, 'Refused / chosen'))),
    el('tbody', {}, ...rows));
  return el('article', { className: 'decision' }, head, when, table);
}

function breakdown(s) {
  if (!s) return '';
  return `capacity ${number(s.capacity, 2)}, cpu ${number(s.cpu, 2)}, memory ${number(s.memory, 2)}, ` +
    `network ${number(s.network, 2)}, latency ${number(s.latency, 2)}, reliability ${number(s.reliability, 2)}`;
}

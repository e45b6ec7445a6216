// The maps table: GET /maps — where each map runs, its epoch and instance, and why it is there (the last
// placement's reason). Unassigned maps are marked and counted. "Move…" asks where; "History" opens the map.

import { call, seg } from './api.js';
import { el, emptyRow, placeholder, setClass, setText, syncRows } from './dom.js';
import { against, ago, time } from './format.js';
import { act, showProblem } from './page.js';
import { open as openHistory } from './history.js';

const table = () => document.getElementById('maps-table');

export function init() {
  table().tBodies[0].addEventListener('click', onClick);
  const dialog = document.getElementById('move-dialog');
  const host = document.getElementById('move-host');
  host.addEventListener('input', () => { dialog.querySelector('input[value="host"]').checked = true; });
  dialog.addEventListener('close', onMoveClosed);
}

export async function load() {
  return call('maps');
}

export function render(maps) {
  const items = maps.items;
  const unassigned = items.filter((m) => m.status === 'unassigned').length;
  setText(document.getElementById('maps-count'),
    `(${items.length}${unassigned ? `, ${unassigned} unassigned` : ''})`);
  setClass(document.getElementById('maps-count'), 'alarm', unassigned > 0);
  const tbody = table().tBodies[0];
  if (items.length === 0) {
    placeholder(tbody, 10, 'No maps configured.');
    return;
  }
  // Unassigned first: they need an operator's eye.
  const sorted = [...items].sort((a, b) =>
    (a.status === 'unassigned' ? 0 : 1) - (b.status === 'unassigned' ? 0 : 1) || a.name.localeCompare(b.name));
  syncRows(tbody, sorted, (m) => m.name, createRow, updateRow);
}

/** Host ids for the move dialog's suggestions. */
export function suggestHosts(hostIds) {
  const list = document.getElementById('move-hosts');
  const current = [...list.options].map((o) => o.value).join('\n');
  if (current === hostIds.join('\n')) return;
  list.replaceChildren(...hostIds.map((id) => el('option', { value: id })));
}

function createRow() {
  const row = emptyRow(9);
  const name = row.cells[0];
  name.append(el('button', { type: 'button', className: 'link', dataset: { action: 'history' } }));
  row.append(el('td', { className: 'operate actions' },
    el('button', { type: 'button', dataset: { action: 'move', busyScope: 'map' } }, 'Move…')));
  return row;
}

function updateRow(row, map) {
  const c = row.cells;
  const button = c[0].querySelector('button');
  setText(button, map.name);
  button.dataset.map = map.name;
  const label = `Placement history of ${map.name}`;
  if (button.getAttribute('aria-label') !== label) button.setAttribute('aria-label', label);
  const unassigned = map.status === 'unassigned';
  setClass(row, 'unassigned', unassigned);
  setText(c[1], unassigned ? 'UNASSIGNED' : map.status);
  setText(c[2], map.hostId ?? '—');
  setText(c[3], map.hostKind ?? '');
  setText(c[4], map.epoch);
  setText(c[5], map.instanceState ?? '');
  setClass(c[5], 'bad', map.instanceState === 'failed');
  setText(c[6], against(map.players, map.policy?.maxPlayers));
  setText(c[7], map.why ?? '');
  setText(c[8], ago(map.since));
  c[8].title = time(map.since);
  const move = c[9].querySelector('button');
  move.dataset.map = map.name;
  const moveLabel = `Move map ${map.name}`;
  if (move.getAttribute('aria-label') !== moveLabel) move.setAttribute('aria-label', moveLabel);
}

function onClick(event) {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  if (button.dataset.action === 'history') openHistory(button.dataset.map);
  else if (button.dataset.action === 'move') openMove(button.dataset.map);
}

function openMove(map) {
  const dialog = document.getElementById('move-dialog');
  document.getElementById('move-map').textContent = map;
  dialog.dataset.map = map;
  dialog.querySelector('input[value="vps"]').checked = true;
  document.getElementById('move-host').value = '';
  dialog.returnValue = '';
  dialog.showModal();
}

async function onMoveClosed() {
  const dialog = document.getElementById('move-dialog');
  if (dialog.returnValue !== 'move') return;
  const toHost = dialog.querySelector('input[value="host"]').checked;
  const to = toHost ? document.getElementById('move-host').value.trim() : 'vps';
  if (!to) {
    showProblem(`Move ${dialog.dataset.map}: enter a host id, or choose a VPS host.`);
    return;
  }
  await act(`maps/${seg(dialog.dataset.map)}/move`, { body: { to } });
}

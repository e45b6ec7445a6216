// The hosts table: GET /hosts (filtered, paged, best score first) and the per-host actions.

import { call, seg } from './api.js';
import { el, emptyRow, placeholder, setClass, setText, syncRows } from './dom.js';
import { against, full, number } from './format.js';
import { act, confirmAction } from './page.js';

const limit = 50;
let offset = 0;
let lastTotal = 0;

const table = () => document.getElementById('hosts-table');

export function init(refresh) {
  const filter = document.getElementById('host-filter');
  filter.addEventListener('change', () => { offset = 0; refresh(); });
  filter.addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('hosts-prev').addEventListener('click', () => { offset = Math.max(0, offset - limit); refresh(); });
  document.getElementById('hosts-next').addEventListener('click', () => {
    if (offset + limit < lastTotal) { offset += limit; refresh(); }
  });
  table().tBodies[0].addEventListener('click', onAction);
}

export async function load() {
  const query = new URLSearchParams({ offset: String(offset), limit: String(limit) });
  const status = document.getElementById('host-status').value;
  const kind = document.getElementById('host-kind').value;
  if (status) query.set('status', status);
  if (kind) query.set('kind', kind);
  return call(`hosts?${query}`);
}

export function render(page) {
  lastTotal = page.total;
  if (page.items.length === 0 && page.total > 0 && offset > 0) offset = Math.max(0, offset - limit);
  const first = page.total === 0 ? 0 : page.offset + 1;
  setText(document.getElementById('hosts-range'), `${first}–${page.offset + page.items.length} of ${page.total}`);
  setText(document.getElementById('hosts-count'), `(${page.total})`);
  document.getElementById('hosts-prev').disabled = page.offset === 0;
  document.getElementById('hosts-next').disabled = page.offset + page.items.length >= page.total;
  const tbody = table().tBodies[0];
  if (page.items.length === 0) {
    placeholder(tbody, 11, 'No hosts match.');
    return;
  }
  syncRows(tbody, page.items, (h) => h.hostId, createRow, updateRow);
}

function createRow() {
  const row = emptyRow(10);
  const actions = el('td', { className: 'operate actions' },
    el('button', { type: 'button', className: 'drain', dataset: { action: 'drain', busyScope: 'host' } }, 'Drain'),
    el('button', { type: 'button', className: 'ban danger', dataset: { action: 'ban', busyScope: 'host' } }, 'Ban'));
  row.append(actions);
  return row;
}

function updateRow(row, host) {
  const c = row.cells;
  const load = host.load;
  const cap = host.capacity;
  setText(c[0], host.hostId);
  c[0].title = host.endpoint ?? '';
  setText(c[1], host.kind);
  setText(c[2], host.status);
  row.dataset.status = host.status;
  setText(c[3], host.approved ? 'yes' : 'no');
  setText(c[4], number(host.score));
  setText(c[5], against(load?.players, cap?.maxPlayers));
  setText(c[6], against(load?.cpuPercent, cap?.cpuLimitPercent, ' %'));
  setText(c[7], against(load?.memoryPercent, cap?.memoryLimitPercent, ' %'));
  setText(c[8], against(load?.networkMbps, cap?.networkLimitMbps, ' Mb/s', 1));
  setText(c[9], against(host.maps, cap?.maxMaps));
  setClass(c[5], 'over', full(load?.players, cap?.maxPlayers));
  setClass(c[6], 'over', full(load?.cpuPercent, cap?.cpuLimitPercent));
  setClass(c[7], 'over', full(load?.memoryPercent, cap?.memoryLimitPercent));
  setClass(c[8], 'over', full(load?.networkMbps, cap?.networkLimitMbps));
  setClass(c[9], 'over', full(host.maps, cap?.maxMaps));

  const [drain, ban] = c[10].querySelectorAll('button');
  const draining = host.status === 'draining';
  const banned = host.status === 'banned';
  setButton(drain, draining ? 'undrain' : 'drain', draining ? 'Undrain' : 'Drain', host.hostId);
  setButton(ban, banned ? 'unban' : 'ban', banned ? 'Unban' : 'Ban', host.hostId);
}

function setButton(button, action, label, hostId) {
  if (button.dataset.action !== action) button.dataset.action = action;
  setText(button, label);
  const name = `${label} host ${hostId}`;
  if (button.getAttribute('aria-label') !== name) button.setAttribute('aria-label', name);
  button.dataset.host = hostId;
}

async function onAction(event) {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const { action, host } = button.dataset;
  if (action === 'ban' && !(await confirmAction(
    `Ban host ${host}? Its connection is closed, its maps move and it may not reconnect until unbanned.`, 'Ban'))) return;
  await act(`hosts/${seg(host)}/${action}`);
}

// The P2P network's state (GET /network), the cluster summary line (GET /summary), and emergency failover / resume.

import { call } from './api.js';
import { setText } from './dom.js';
import { time } from './format.js';
import { act, confirmAction } from './page.js';

export function init() {
  document.getElementById('failover').addEventListener('click', async () => {
    if (!(await confirmAction('Emergency failover: every map on a P2P host moves to VPS now, and P2P placement stays ' +
      'paused until you resume it.', 'Fail over to VPS'))) return;
    await act('network/emergency-failover');
  });
  document.getElementById('resume').addEventListener('click', async () => {
    if (!(await confirmAction('Resume P2P: volunteer hosts may take maps again.', 'Resume P2P'))) return;
    await act('network/resume');
  });
}

export async function load() {
  const [network, summary] = await Promise.all([call('network'), call('summary')]);
  return { network, summary };
}

export function render({ network, summary }) {
  const text = document.getElementById('network-state');
  const paused = network.p2pPaused;
  text.dataset.paused = String(paused);
  setText(text, paused
    ? `P2P PAUSED (emergency failover) since ${time(network.pausedAt)}${network.pausedBy ? ' by ' + network.pausedBy : ''}: every map runs on VPS until resumed.`
    : 'P2P placement is running: volunteer hosts take maps.');
  document.getElementById('failover').hidden = paused;
  document.getElementById('resume').hidden = !paused;

  const silos = summary.silos.map((s) => `${s.name} ${s.status}`).join(', ');
  const online = summary.hosts.filter((h) => h.status === 'online').reduce((n, h) => n + h.count, 0);
  const hosts = summary.hosts.reduce((n, h) => n + h.count, 0);
  // Host and player counts come from the cluster-state grain's periodic snapshot (monitoring.metrics_interval):
  // say when it was taken, as the tables below are live.
  setText(document.getElementById('summary'),
    `Silos: ${silos || 'none'} · snapshot ${new Date(summary.takenAt).toLocaleTimeString()}: hosts online ${online} of ${hosts}, ` +
    `players online ${summary.playersOnline}, active alerts ${summary.activeAlerts}`);
}

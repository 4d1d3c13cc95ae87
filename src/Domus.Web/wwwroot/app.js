// The domain list: domusd's /api/v1/domains read twice a second, so that what changes elsewhere (the command
// line, a guest powering off) shows within a second; actions go to the same API as `domus` uses.
import { actionButtons } from '/actions.js';
import { call, cell, say } from '/api.js';

const rows = new Map();
const cpu = new Map();

function duration(seconds) {
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d > 0 ? `${d}d ` : '') + `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** CPU use since the last reading, as a share of one CPU. */
function cpuShare(domain, now) {
  const last = cpu.get(domain.id);
  cpu.set(domain.id, { at: now, seconds: domain.cpu_time_seconds });
  if (!last || now <= last.at) {
    return '–';
  }
  return `${Math.max(0, (domain.cpu_time_seconds - last.seconds) / ((now - last.at) / 1000) * 100).toFixed(0)} %`;
}

function status(text, error = false) {
  say(document.getElementById('status'), text, error);
}

/** A domain's row: made once, then its cells are updated in place so that a click is never lost to a refresh. */
function rowFor(body, domain) {
  let row = rows.get(domain.id);
  if (row) {
    return row;
  }
  row = body.insertRow();
  rows.set(domain.id, row);
  const link = document.createElement('a');
  cell(row, 'Name').append(link);
  cell(row, 'ID', '', 'number');
  cell(row, 'State').dataset.testid = 'state';
  cell(row, 'Memory', '', 'number');
  cell(row, 'vCPUs', '', 'number');
  cell(row, 'Uptime', '', 'number');
  cell(row, 'CPU', '', 'number');
  cell(row, 'Actions');
  return row;
}

let running = new Set();
let shownConfigs = '';

function render(domains) {
  running = new Set(domains.map(domain => domain.name));
  const body = document.querySelector('#domains tbody');
  const now = performance.now();
  const seen = new Set();
  for (const domain of domains) {
    seen.add(domain.id);
    const row = rowFor(body, domain);
    row.dataset.testid = `domain-${domain.name}`;
    const [name, id, state, memory, vcpus, uptime, share, actions] = row.cells;
    name.firstChild.href = `/domain.html?name=${encodeURIComponent(domain.name)}`;
    name.firstChild.textContent = domain.name;
    id.textContent = domain.id;
    state.textContent = domain.status;
    state.className = `state ${domain.status}`;
    state.title = domain.crash_reason ?? '';
    memory.textContent = `${domain.memory_mib} MiB`;
    vcpus.textContent = domain.vcpus;
    uptime.textContent = duration(domain.uptime_seconds);
    share.textContent = cpuShare(domain, now);
    if (actions.dataset.for !== `${domain.name}/${domain.status}`) {
      actions.dataset.for = `${domain.name}/${domain.status}`;
      actions.replaceChildren(...actionButtons(domain, status, refresh));
    }
  }
  for (const [id, row] of rows) {
    if (!seen.has(id)) {
      row.remove();
      rows.delete(id);
      cpu.delete(id);
    }
  }
  document.getElementById('empty').hidden = domains.length > 0;
}

async function refresh() {
  try {
    render(await call('GET', '/domains'));
    if (document.getElementById('status').textContent === 'Loading…') {
      status('');
    }
  } catch (error) {
    status(`domusd: ${error.message}`, true);
  }
}

/** The configuration files of the managed directory, each with a Start button unless its domain runs or it has problems. */
function renderConfigs(configs) {
  const body = document.querySelector('#configs tbody');
  body.replaceChildren();
  for (const config of configs) {
    const row = body.insertRow();
    row.dataset.testid = `config-${config.name}`;
    cell(row, 'Name').textContent = config.name;
    cell(row, 'File').append(Object.assign(document.createElement('code'), { textContent: config.path }));
    const state = cell(row, 'State');
    const actions = cell(row, 'Actions');
    if (config.problems.length > 0) {
      state.textContent = config.problems.join('\n');
      state.className = 'failed problems';
    } else if (running.has(config.name)) {
      state.textContent = 'a domain of this name is there';
    } else {
      state.textContent = 'ready';
      const start = document.createElement('button');
      start.type = 'button';
      start.textContent = 'Start';
      start.dataset.testid = 'start';
      start.addEventListener('click', () => startConfig(config.name));
      actions.append(start);
    }
  }
  document.getElementById('configs-empty').hidden = configs.length > 0;
}

async function startConfig(name) {
  const line = document.getElementById('configs-status');
  try {
    const domain = await call('POST', `/configs/${encodeURIComponent(name)}/start`);
    say(line, `Started ${domain.name} (id ${domain.id}).`);
  } catch (error) {
    say(line, `${name} did not start: ${error.message}`, true);
  }
  await refresh();
}

async function refreshConfigs() {
  try {
    const configs = await call('GET', '/configs');
    // Made again only when something changed, so that a click is not lost to a refresh.
    const seen = JSON.stringify([configs, [...running]]);
    if (seen !== shownConfigs) {
      shownConfigs = seen;
      renderConfigs(configs);
    }
  } catch (error) {
    say(document.getElementById('configs-status'), `domusd: ${error.message}`, true);
  }
}

async function showHost() {
  try {
    const host = await call('GET', '/host');
    document.getElementById('host').textContent = `${host.hostname} · ${host.cpus} CPUs · ${host.memory_mib} MiB · ${host.accelerator} (${host.accelerator_reason})`;
  } catch {
    // The list says what is wrong.
  }
}

showHost();
refresh().then(refreshConfigs);
setInterval(refresh, 500);
setInterval(refreshConfigs, 2000);

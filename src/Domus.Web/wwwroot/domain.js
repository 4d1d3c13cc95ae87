// A domain's page: its state, CPU and memory graphs, its screen, and its first serial port in a terminal
// (xterm.js) over domusd's console WebSocket, which replays recent output first and carries keystrokes back as bytes.
import { Terminal } from '/vendor/xterm.mjs';
import { FitAddon } from '/vendor/addon-fit.mjs';
import RFB from '/vendor/novnc/core/rfb.js';
import { drawChart } from '/chart.js';
import { actionButtons } from '/actions.js';
import { apiFetch, say } from '/api.js';

const name = new URLSearchParams(location.search).get('name') ?? '';
const path = `/api/v1/domains/${encodeURIComponent(name)}`;
document.getElementById('name').textContent = name;
document.title = `Domus — ${name}`;

const terminal = new Terminal({ scrollback: 5000, fontSize: 14 });
const fit = new FitAddon();
terminal.loadAddon(fit);
terminal.open(document.getElementById('terminal'));
fit.fit();
addEventListener('resize', () => fit.fit());

function status(text) {
  document.getElementById('status').textContent = text;
}

const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}/console?history=1`);
socket.binaryType = 'arraybuffer';
socket.addEventListener('open', () => {
  status('Connected: what you type goes to the guest.');
  terminal.focus();
});
socket.addEventListener('message', event => terminal.write(new Uint8Array(event.data)));
socket.addEventListener('close', () => status('The console closed (the domain ended, or domusd went away).'));
const encoder = new TextEncoder();
terminal.onData(data => socket.readyState === WebSocket.OPEN && socket.send(encoder.encode(data)));

// The graphical console: noVNC on domusd's screen WebSocket, which carries the device model's VNC protocol.
let screen = null;

function showScreen() {
  const line = document.getElementById('screen-status');
  screen = new RFB(document.getElementById('screen'), `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}/screen`);
  screen.scaleViewport = false;
  screen.addEventListener('connect', () => { line.textContent = 'Connected: keys and pointer go to the guest.'; });
  screen.addEventListener('disconnect', () => {
    line.textContent = 'The screen closed.';
    screen = null;
  });
  screen.addEventListener('credentialsrequired', () => {
    line.textContent = 'The screen needs its VNC password.';
    const form = document.getElementById('screen-password');
    form.hidden = false;
    form.addEventListener('submit', event => {
      event.preventDefault();
      form.hidden = true;
      screen.sendCredentials({ password: form.elements.password.value });
    }, { once: true });
  });
}

async function summary() {
  const response = await apiFetch(path);
  if (!response.ok) {
    document.getElementById('summary').textContent = 'No such domain any more.';
    document.getElementById('actions').replaceChildren();
    return;
  }
  const { domain } = await response.json();
  document.getElementById('summary').textContent = `${domain.status} · id ${domain.id} · ${domain.memory_mib} MiB · ${domain.vcpus} vCPU(s) · ${domain.device_model}`;
  const actions = document.getElementById('actions');
  if (actions.dataset.for !== domain.status) {
    actions.dataset.for = domain.status;
    actions.replaceChildren(...actionButtons(domain, (text, error) => say(document.getElementById('action-status'), text, error), summary));
  }
  if (domain.vnc_port && !screen) {
    showScreen();
  }
}

// CPU and memory graphs from domusd's readings (one every two seconds, the last ten minutes), redrawn to the
// canvases' size when the window changes.
let samples = [];

function drawLoad() {
  const seconds = samples.length > 1 ? (Date.parse(samples.at(-1).at) - Date.parse(samples[0].at)) / 1000 : 0;
  const cpu = samples.map(s => s.cpu_percent), memory = samples.map(s => s.resident_mib);
  drawChart(document.getElementById('cpu-chart'), cpu, { floor: 10, unit: '%', seconds });
  drawChart(document.getElementById('memory-chart'), memory, { floor: 16, unit: 'MiB', seconds });
  document.getElementById('cpu-now').textContent = samples.length ? `${cpu.at(-1).toFixed(0)} %` : '–';
  document.getElementById('memory-now').textContent = samples.length ? `${memory.at(-1).toFixed(0)} MiB` : '–';
}

async function load() {
  const response = await apiFetch(`${path}/stats`);
  if (response.ok) {
    samples = await response.json();
    drawLoad();
  }
}

addEventListener('resize', drawLoad);

// The configuration file as it is now, each line numbered, each problem under the line it is on.
async function configuration() {
  const response = await apiFetch(`${path}/config`);
  const line = document.getElementById('config-status');
  if (!response.ok) {
    return;
  }
  const { path: file, text, problems } = await response.json();
  const list = document.getElementById('config');
  list.replaceChildren();
  const whole = problems.filter(p => p.line === 0);
  line.textContent = !file ? 'This domain was created without a configuration file.'
    : `${file} as it is now${problems.length ? ` · ${problems.length} problem(s)` : ' · no problems'}; the domain runs with what it said when it started.`;
  for (const problem of whole) {
    list.before(problemNote(problem));
  }
  (text === null ? [] : text.replace(/\n$/, '').split('\n')).forEach((source, index) => {
    const item = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = source;
    item.append(code);
    for (const problem of problems.filter(p => p.line === index + 1)) {
      item.classList.add(`has-${problem.severity}`);
      item.append(problemNote(problem));
    }
    list.append(item);
  });
}

function problemNote(problem) {
  const note = document.createElement('p');
  note.className = `problem problem-${problem.severity}`;
  note.dataset.testid = 'config-problem';
  note.textContent = `${problem.severity}${problem.line ? ` (column ${problem.column})` : ''}: ${problem.message}`;
  return note;
}

summary();
setInterval(summary, 1000);
configuration();
load();
setInterval(load, 2000);

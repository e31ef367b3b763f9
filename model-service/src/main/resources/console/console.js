// Jerry's admin console: plain JavaScript, no build step, nothing fetched but model-service's own API.
// The bearer token is asked once and kept in sessionStorage (this tab only); every request sends it.
'use strict';

const TOKEN_KEY = 'jerry.console.token';
const state = {
  nodes: [],
  tasks: new Map(), // id -> task
  status: null,
  deletedAt: new Map(), // "node\u0000model" -> ms: a model deleted here after its pull finished
  streaming: false,
};

const $ = (id) => document.getElementById(id);

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token()) headers['Authorization'] = 'Bearer ' + token();
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, Object.assign({}, options, { headers, cache: 'no-store' }));
  if (res.status === 401) {
    showLogin(token() ? 'model-service did not accept this token.' : '');
    throw new Unauthorized();
  }
  return res;
}

async function json(path, options) {
  const res = await api(path, options);
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const message = body && body.error ? (body.error.message || body.error) : res.status + ' ' + res.statusText;
    const error = new Error(message);
    error.status = res.status;
    throw error;
  }
  return body;
}

// --- model names: the nodes list tagged names, tasks the short form ---

function shortName(model) {
  return model.endsWith(':latest') ? model.slice(0, -':latest'.length) : model;
}

function pairKey(node, model) {
  return node + '\u0000' + shortName(model);
}

// --- login ---

function showLogin(message) {
  $('login').hidden = false;
  $('main').hidden = true;
  $('forget-token').hidden = true;
  $('login-error').textContent = message || '';
  $('token').focus();
}

function showMain() {
  $('login').hidden = true;
  $('main').hidden = false;
  $('forget-token').hidden = !token();
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  $('token').value = '';
  start();
});

$('forget-token').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});

// --- data ---

async function refreshNodes() {
  try {
    const body = await json('/v1/nodes');
    state.nodes = body.nodes || [];
    $('nodes-error').textContent = '';
    $('connection').textContent = 'connected';
  } catch (e) {
    if (e instanceof Unauthorized) return;
    $('nodes-error').textContent = 'nodes: ' + e.message;
  }
  render();
}

async function refreshStatus() {
  try {
    state.status = await json('/v1/status');
  } catch (e) {
    if (e instanceof Unauthorized) return;
    state.status = null;
  }
  renderStatus();
}

// The task stream: a snapshot on (re)connect, then one event per change. EventSource cannot send a bearer token,
// so the stream is read with fetch.
async function streamTasks() {
  if (state.streaming) return;
  state.streaming = true;
  while (true) {
    try {
      const res = await api('/v1/tasks/events', { headers: { Accept: 'text/event-stream' } });
      if (!res.ok) throw new Error('tasks stream: ' + res.status);
      $('connection').textContent = 'connected';
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          onEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (e instanceof Unauthorized) {
        state.streaming = false;
        return;
      }
    }
    $('connection').textContent = 'reconnecting…';
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function onEvent(block) {
  let name = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).trim();
  }
  if (name === 'snapshot') {
    state.tasks = new Map(JSON.parse(data).tasks.map((t) => [t.id, t]));
  } else if (name === 'task') {
    const task = JSON.parse(data);
    const before = state.tasks.get(task.id);
    state.tasks.set(task.id, task);
    if (task.state === 'done' && (!before || before.state !== 'done')) refreshNodes();
  } else {
    return;
  }
  render();
}

// --- actions ---

async function act(what, request) {
  $('action-error').textContent = '';
  $('action-result').textContent = '';
  try {
    const result = await request();
    $('action-result').textContent = what + ': ' + describe(result);
  } catch (e) {
    if (!(e instanceof Unauthorized)) $('action-error').textContent = what + ' failed: ' + e.message;
  }
  refreshNodes();
}

function describe(result) {
  if (result && result.tasks) {
    return result.tasks.length === 0
      ? 'nothing to pull'
      : result.tasks.map((t) => t.model + ' on ' + t.node + ' (' + t.state + ')').join(', ');
  }
  return 'done';
}

function distribute(model, nodes) {
  return act('distribute ' + model, () =>
    json('/v1/models/distribute', { method: 'POST', body: JSON.stringify({ model, nodes }) }));
}

function remove(node, model) {
  return act('delete ' + shortName(model) + ' on ' + node, async () => {
    await json('/v1/nodes/' + encodeURIComponent(node) + '/models/' + encodeURIComponent(shortName(model)),
      { method: 'DELETE' });
    state.deletedAt.set(pairKey(node, model), Date.now());
  });
}

$('distribute-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const node = $('distribute-node').value;
  distribute($('distribute-model').value.trim(), node === 'all' ? 'all' : [node]);
});

$('placement-button').addEventListener('click', () =>
  act('placement', () => json('/v1/placement', { method: 'POST', body: '{}' })));

// --- rendering (rebuilt from state each time; text goes in as text, never as HTML) ---

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'onclick') node.addEventListener('click', value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function percent(task) {
  return task.bytes_total > 0 ? Math.floor((100 * task.bytes_done) / task.bytes_total) : 0;
}

function bar(task) {
  const p = task.state === 'done' ? 100 : percent(task);
  return el('span', { class: 'bar', 'data-percent': String(p), title: p + '%' }, el('span', { style: 'width:' + p + '%' }));
}

function bytes(n) {
  if (!n) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function latestTasks() {
  const latest = new Map();
  for (const task of state.tasks.values()) {
    const key = pairKey(task.node, task.model);
    const other = latest.get(key);
    if (!other || task.created_at >= other.created_at) latest.set(key, task);
  }
  return latest;
}

function cellState(node, model, latest) {
  const key = pairKey(node.name, model);
  const task = latest.get(key);
  if (task && (task.state === 'queued' || task.state === 'running')) return { state: 'downloading', task };
  const listed = (node.models || []).some((m) => shortName(m.name) === model);
  const deleted = state.deletedAt.get(key) || 0;
  const pulledSince = task && task.state === 'done' && Date.parse(task.finished_at) > deleted;
  if (listed || pulledSince) return { state: 'present', task };
  if (task && task.state === 'failed') return { state: 'failed', task };
  return { state: 'missing', task };
}

function render() {
  renderMatrix();
  renderTasks();
  renderNodeChoice();
}

function renderMatrix() {
  const latest = latestTasks();
  const models = new Set();
  for (const node of state.nodes) for (const m of node.models || []) models.add(shortName(m.name));
  for (const task of state.tasks.values()) models.add(shortName(task.model));
  const columns = [...models].sort();
  const head = el('tr', {}, el('th', {}, 'Node'), el('th', {}, 'Health'), el('th', {}, 'VRAM'), el('th', {}, 'Load'),
    ...columns.map((m) => el('th', { 'data-model': m }, m)));
  const rows = state.nodes.map((node) => {
    const health = el('td', { class: 'state-' + node.state, 'data-health': node.state }, node.state,
      node.last_error ? el('div', { class: 'muted' }, node.last_error) : null);
    const vram = el('td', {}, node.vram_bytes ? (node.vram_bytes / 2 ** 30).toFixed(0) + ' GiB' : '–');
    const load = el('td', { 'data-load': String((node.in_flight || 0) + (node.queued || 0)) },
      (node.in_flight || 0) + ' running, ' + (node.queued || 0) + ' queued');
    const cells = columns.map((model) => {
      const c = cellState(node, model, latest);
      const td = el('td', { class: 'cell', 'data-node': node.name, 'data-model': model, 'data-state': c.state });
      if (c.state === 'downloading') {
        td.append(bar(c.task), ' ' + percent(c.task) + '%');
      } else if (c.state === 'present') {
        td.append('present', el('button', { type: 'button', class: 'delete', onclick: () => remove(node.name, model) }, 'delete'));
      } else if (c.state === 'failed') {
        td.setAttribute('title', c.task.error || '');
        td.append('failed', el('button', { type: 'button', class: 'pull', onclick: () => distribute(model, [node.name]) }, 'retry'));
      } else {
        td.append('missing', el('button', { type: 'button', class: 'pull', onclick: () => distribute(model, [node.name]) }, 'pull'));
      }
      return td;
    });
    return el('tr', { 'data-node': node.name }, el('th', {}, node.name), health, vram, load, ...cells);
  });
  $('matrix').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
}

function renderTasks() {
  const tasks = [...state.tasks.values()].sort((a, b) => {
    const active = (t) => (t.state === 'queued' || t.state === 'running' ? 0 : 1);
    return active(a) - active(b) || (a.created_at < b.created_at ? 1 : -1);
  });
  const rows = tasks.map((t) => el('tr', { 'data-task': t.id, 'data-state': t.state },
    el('td', {}, t.model), el('td', {}, t.node), el('td', {}, t.state),
    el('td', {}, bar(t), ' ' + bytes(t.bytes_done) + ' / ' + bytes(t.bytes_total)),
    el('td', {}, t.bytes_per_second ? bytes(t.bytes_per_second) + '/s' : '–'),
    el('td', {}, new Date(t.created_at).toLocaleTimeString()),
    el('td', { class: 'error' }, t.error || '')));
  $('tasks').querySelector('tbody').replaceChildren(...rows);
}

function renderNodeChoice() {
  const select = $('distribute-node');
  const chosen = select.value;
  const names = state.nodes.map((n) => n.name);
  const current = [...select.options].slice(1).map((o) => o.value);
  if (names.join('\u0000') === current.join('\u0000')) return;
  select.replaceChildren(el('option', { value: 'all' }, 'all online nodes'), ...names.map((n) => el('option', { value: n }, n)));
  select.value = names.includes(chosen) ? chosen : 'all';
}

function renderStatus() {
  const status = state.status;
  if (!status) return;
  const waiting = status.queues.reduce((sum, q) => sum + q.waiting, 0);
  const running = status.queues.reduce((sum, q) => sum + q.running, 0);
  $('queue-depth').textContent = String(waiting);
  $('queue-running').textContent = String(running);
  const lookups = status.cache.hits + status.cache.misses;
  $('cache-hit-rate').textContent = lookups === 0
    ? 'no lookups yet'
    : ((100 * status.cache.hits) / lookups).toFixed(1) + '% of ' + lookups;
}

// --- start ---

let timers = [];

async function start() {
  try {
    await json('/v1/status');
  } catch (e) {
    if (e instanceof Unauthorized) return;
  }
  showMain();
  timers.forEach(clearInterval);
  timers = [setInterval(refreshNodes, 3000), setInterval(refreshStatus, 5000)];
  refreshNodes();
  refreshStatus();
  streamTasks();
}

start();

// The todo page: plain JavaScript, no build step.
//
// State: `todos` maps id -> todo. Every change arrives twice in the window that made it (once as
// the REST response, once as the WebSocket event) and once in every other window; `apply` is
// idempotent: it keys by id, never lets an older version replace a newer one (each todo's `version`
// grows by one per committed change, on whichever node it was made, so clock skew between nodes
// does not matter), and remembers deleted ids so a late response or event cannot bring a deleted
// todo back. Changes are sent with the version this window shows; a 409 means another window or
// node changed the todo first: the window shows the current todo and says so.
'use strict';

(function () {
  const todos = new Map();          // id -> todo
  const touched = new Map();        // id -> generation of the last change applied
  const deleted = new Set();        // ids known to be deleted
  let generation = 0;

  const list = document.getElementById('todos');
  const form = document.getElementById('new-todo');
  const input = document.getElementById('new-title');
  const status = document.getElementById('ws-status');
  const error = document.getElementById('error');
  const empty = document.getElementById('empty');

  function newer(a, b) {            // is a at least as recent as b?
    return !b || a.version >= b.version;
  }

  function upsert(todo) {
    if (deleted.has(todo.id)) return;
    if (newer(todo, todos.get(todo.id))) todos.set(todo.id, todo);
    touched.set(todo.id, ++generation);
  }

  function remove(id) {
    deleted.add(id);
    todos.delete(id);
    touched.set(id, ++generation);
  }

  function applyEvent(changed) {
    if (changed.entityType !== 'todo') return;
    if (changed.change === 'DELETED') remove(changed.entity.id); else upsert(changed.entity);
    render();
  }

  function render() {
    const sorted = [...todos.values()].sort((a, b) => a.id - b.id);
    const keep = new Set(sorted.map(t => String(t.id)));
    for (const li of [...list.children]) {
      if (!keep.has(li.dataset.id)) li.remove();
    }
    let previous = null;
    for (const todo of sorted) {
      let li = list.querySelector(`li[data-id="${todo.id}"]`);
      if (!li) li = item(todo.id);
      li.dataset.completed = String(todo.completed);
      li.querySelector('.toggle').checked = todo.completed;
      li.querySelector('.title').textContent = todo.title;
      const expected = previous ? previous.nextSibling : list.firstChild;
      if (expected !== li) list.insertBefore(li, expected);
      previous = li;
    }
    empty.hidden = sorted.length > 0;
  }

  function item(id) {
    const li = document.createElement('li');
    li.dataset.id = String(id);
    const toggle = document.createElement('input');
    toggle.type = 'checkbox';
    toggle.className = 'toggle';
    toggle.addEventListener('change', () => {
      const shown = todos.get(id);
      send('PATCH', `/api/todos/${id}`, shown ? { completed: toggle.checked, version: shown.version } : { completed: toggle.checked });
    });
    const title = document.createElement('span');
    title.className = 'title';
    const del = document.createElement('button');
    del.className = 'delete';
    del.type = 'button';
    del.textContent = '\u2715';
    del.title = 'delete';
    del.addEventListener('click', () => send('DELETE', `/api/todos/${id}`));
    li.append(toggle, title, del);
    return li;
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  async function send(method, url, body) {
    try {
      const response = await fetch(url, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!response.ok) {
        const text = await response.text();
        let message = text;
        let parsed = null;
        try { parsed = JSON.parse(text); message = parsed.error || parsed.message || text; } catch (e) { /* not JSON */ }
        if (response.status === 409 && parsed && parsed.current) {
          upsert(parsed.current);       // changed elsewhere first: show what is current now
          render();
          showError(`changed elsewhere first; now showing the current todo (${message})`);
          return null;
        }
        showError(`${method} ${url}: ${response.status} ${message}`);
        if (response.status === 404 && method !== 'POST') reload();
        return null;
      }
      showError('');
      if (response.status === 204) {
        if (method === 'DELETE') { remove(Number(url.split('/').pop())); render(); }
        return null;
      }
      const todo = await response.json();
      upsert(todo);
      render();
      return todo;
    } catch (e) {
      showError(`${method} ${url}: ${e.message}`);
      return null;
    }
  }

  // The next page's URL from a `Link: <...>; rel="next"` header, or null on the last page.
  function nextPage(response) {
    const link = response.headers.get('link');
    if (!link) return null;
    for (const part of link.split(',')) {
      const match = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(part);
      if (match) return match[1];
    }
    return null;
  }

  // Reads the whole list, page by page along the rel="next" links: at start and after each
  // (re)subscription, to catch up with what happened while disconnected. Todos changed by an event
  // after the read started are left as the event said.
  async function reload() {
    const started = ++generation;
    try {
      const all = [];
      for (let url = '/api/todos?limit=1000'; url; ) {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${response.status}`);
        all.push(...await response.json());
        url = nextPage(response);
      }
      const seen = new Set();
      for (const todo of all) {
        seen.add(todo.id);
        if ((touched.get(todo.id) || 0) <= started) {
          deleted.delete(todo.id);
          if (newer(todo, todos.get(todo.id))) todos.set(todo.id, todo);
        }
      }
      for (const id of [...todos.keys()]) {
        if (!seen.has(id) && (touched.get(id) || 0) <= started) todos.delete(id);
      }
      render();
    } catch (e) {
      showError(`GET /api/todos: ${e.message}`);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = input.value.trim();
    if (!title) return;
    const created = await send('POST', '/api/todos', { title });
    if (created) input.value = '';
  });

  // Live updates: subscribe to the "todo" topic; reconnect with exponential backoff (0.5 s to 10 s).
  let delay = 500;
  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/ws`);
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ op: 'subscribe', topic: 'todo' }));
    });
    socket.addEventListener('message', (message) => {
      let frame;
      try { frame = JSON.parse(message.data); } catch (e) { return; }
      if (frame.type === 'subscribed' && frame.topic === 'todo') {
        delay = 500;
        status.dataset.state = 'live';
        status.textContent = 'live';
        reload();
      } else if (frame.type === 'event' && frame.topic === 'todo') {
        applyEvent(frame.event);
      } else if (frame.type === 'error') {
        showError(`live updates: ${frame.message}`);
      }
    });
    socket.addEventListener('close', () => {
      status.dataset.state = 'reconnecting';
      status.textContent = 'reconnecting';
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    });
  }

  reload();
  connect();
})();

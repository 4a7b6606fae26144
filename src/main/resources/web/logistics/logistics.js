// The logistics clerk's page (replaces the "Supt-Logistics Form" and its "Responses" sheet).
// Talks only to the same-origin logistics API (contract section 11) with the logistics token as a
// bearer token. Every piece of data reaches the page through textContent, never as HTML. The sign-in,
// the token and the small DOM helpers are desk.js's, shared with the ops page.
'use strict';

(function () {
  const API = '/api/logistics';
  const TOKEN_KEY = 'cancellationDesk.logisticsToken'; // sessionStorage: gone when the tab closes
  const NAME_KEY = 'cancellationDesk.logisticsName'; // localStorage: asked once per browser
  const HISTORY_LIMIT = 200;

  const RESULT_LABELS = { pending: 'Pending', successful: 'Successful', unsuccessful: 'Unsuccessful' };
  const TRACKING_LABELS = { return_to_sender: 'Returned to sender', delivered: 'Delivered' };
  const CUSTOMER_LABELS = { order_kept: 'Order kept', sales_return: 'Sales return (SR)' };

  const { byId, el, show, say, warn, clearMessages, remember, recall, SignedOut, errorOf } = Desk;
  const absoluteFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });
  const shortFormat = new Intl.DateTimeFormat(undefined, {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  });
  const shortFormatWithYear = new Intl.DateTimeFormat(undefined, {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });
  const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

  const state = {
    inflight: null, // the running load, if any
    queued: null, // one more load, to run after it
    pendingRows: new Map(), // request id -> its <tr>, kept across refreshes so typed notes survive
    all: [],
  };

  const session = Desk.session({
    tokenKey: TOKEN_KEY,
    tokenName: 'logistics',
    refresh: refresh,
    firstCall: () => fetchRequests('pending'),
    signedIn: (pending) => {
      renderPending(pending);
      refresh();
    },
    entered: () => {
      showClerkName();
      if (!clerkName()) askName();
      else byId('main').focus();
    },
    signedOut: () => {
      state.ticketUrl = undefined;
      state.pendingRows.clear();
      state.all = [];
      byId('pending-rows').replaceChildren();
      byId('history-rows').replaceChildren();
      resetPlaceholders();
    },
  });
  const api = session.api;

  // ---- formatting --------------------------------------------------------------------------

  function dash(value) {
    return value === null || value === undefined || value === '' ? '—' : String(value);
  }

  /** How long ago, in the unit a clerk thinks in: minutes, then hours for two days, then days. */
  function relative(date, now) {
    const seconds = (date.getTime() - now.getTime()) / 1000;
    const abs = Math.abs(seconds);
    const sign = seconds < 0 ? -1 : 1;
    if (abs < 60) return 'just now';
    if (abs < 3600) return relativeFormat.format(sign * Math.floor(abs / 60), 'minute');
    if (abs < 48 * 3600) return relativeFormat.format(sign * Math.floor(abs / 3600), 'hour');
    return relativeFormat.format(sign * Math.floor(abs / 86400), 'day');
  }

  /**
   * A <time> with the relative age on top and the local date and time under it (with the weekday,
   * since the follow-up runs on working days); the full date and zone are in its tooltip.
   */
  function timeCell(iso, now) {
    if (!iso) return el('td', { class: 'when' }, '—');
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return el('td', { class: 'when' }, String(iso));
    const local = date.getFullYear() === now.getFullYear() ? shortFormat : shortFormatWithYear;
    return el(
      'td',
      { class: 'when' },
      el('time', { datetime: date.toISOString(), title: absoluteFormat.format(date) }, relative(date, now)),
      el('span', { class: 'absolute' }, local.format(date))
    );
  }

  /** An API instant as milliseconds for sorting; a missing or unreadable one sorts as the oldest. */
  function millis(iso) {
    const t = iso ? Date.parse(iso) : NaN;
    return Number.isNaN(t) ? 0 : t;
  }

  function ticketLabel(request) {
    return '#' + request.ticketId;
  }

  /** The ticket number, linked to the ticket in Zendesk when the service knows where Zendesk is. */
  function ticketCell(request) {
    if (!state.ticketUrl) return ticketLabel(request);
    return el('a', { href: state.ticketUrl + request.ticketId, target: '_blank', rel: 'noopener' }, ticketLabel(request));
  }

  /** ZENDESK_URL/agent/tickets/ (GET /api/logistics/links), asked once per sign-in. */
  async function fetchTicketUrl() {
    if (state.ticketUrl !== undefined) return;
    try {
      const response = await api(API + '/links');
      state.ticketUrl = response.ok ? (await response.json()).ticketUrl || null : null;
    } catch (e) {
      if (e instanceof SignedOut) throw e;
      state.ticketUrl = null; // the numbers stay plain text
    }
  }

  function resultBadge(result) {
    return el('span', { class: 'badge ' + String(result) }, RESULT_LABELS[result] || dash(result));
  }

  // ---- API ---------------------------------------------------------------------------------

  async function fetchRequests(status) {
    const response = await api(API + '/requests?status=' + encodeURIComponent(status));
    if (!response.ok) throw await errorOf(response);
    const body = await response.json();
    return Array.isArray(body.requests) ? body.requests : [];
  }

  // ---- signing out -----------------------------------------------------------------------

  function resetPlaceholders() {
    for (const [id, visible] of [
      ['pending-loading', true], ['pending-error', false], ['pending-empty', false], ['pending-table', false],
      ['history-loading', true], ['history-error', false], ['history-empty', false], ['history-table', false],
      ['history-more', false],
    ]) {
      show(byId(id), visible);
    }
    byId('pending-count').textContent = '';
    byId('updated').textContent = '';
  }

  // ---- the clerk's name ("by") -------------------------------------------------------------

  function clerkName() {
    return (recall('local', NAME_KEY) || '').trim();
  }

  function showClerkName() {
    const name = clerkName();
    byId('marking-as').textContent = name ? 'Marking as ' + name : 'No name set';
  }

  function askName(reason) {
    const form = byId('name-form');
    show(form, true);
    byId('clerk-name').value = clerkName();
    if (reason) warn(reason);
    byId('clerk-name').focus();
  }

  function saveName(event) {
    event.preventDefault();
    const name = byId('clerk-name').value.trim();
    if (!name) {
      warn('Enter your name: it is recorded with each result.');
      byId('clerk-name').focus();
      return;
    }
    remember('local', NAME_KEY, name);
    show(byId('name-form'), false);
    showClerkName();
    say('Results will be recorded as marked by ' + name + '.');
  }

  // ---- loading -----------------------------------------------------------------------------

  /**
   * Reloads both lists. A call made while a load is running waits for it and then loads once more,
   * so whoever asks (the timer, the Refresh button, a result just marked) sees data newer than
   * their request.
   */
  function refresh() {
    if (!session.token()) return Promise.resolve();
    if (state.inflight) {
      if (!state.queued) {
        state.queued = state.inflight.then(() => {
          state.queued = null;
          return refresh();
        });
      }
      return state.queued;
    }
    state.inflight = load().finally(() => {
      state.inflight = null;
    });
    return state.inflight;
  }

  async function load() {
    const button = byId('refresh');
    button.disabled = true;
    byId('updated').textContent = 'Refreshing…';
    const token = session.token();
    try {
      await fetchTicketUrl();
      const [pending, all] = await Promise.all([fetchRequests('pending'), fetchRequests('all')]);
      if (session.token() !== token) return; // signed out meanwhile
      renderPending(pending);
      renderHistory(all);
      byId('updated').textContent =
        'Updated ' + new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    } catch (e) {
      if (!(e instanceof SignedOut)) showLoadError(e);
    } finally {
      button.disabled = false;
    }
  }

  function showLoadError(error) {
    const text = 'Could not load the requests: ' + error.message + '. The page tries again every minute.';
    byId('updated').textContent = 'Not updated';
    for (const part of ['pending', 'history']) {
      const hasTable = !byId(part + '-table').hidden;
      show(byId(part + '-loading'), false);
      if (hasTable) continue; // keep the last good data on screen; the alert says it is stale
      byId(part + '-error').textContent = text;
      show(byId(part + '-error'), true);
    }
    warn(text);
  }

  // ---- pending requests --------------------------------------------------------------------

  function renderPending(requests) {
    const now = new Date();
    const pending = requests
      .filter((r) => r.result === 'pending')
      .sort((a, b) => millis(a.submittedAt) - millis(b.submittedAt) || Number(a.id) - Number(b.id));
    const body = byId('pending-rows');
    const keep = new Set(pending.map((r) => String(r.id)));
    for (const [id, row] of state.pendingRows) {
      if (!keep.has(id)) {
        row.remove();
        state.pendingRows.delete(id);
      }
    }
    pending.forEach((request, index) => {
      const id = String(request.id);
      let row = state.pendingRows.get(id);
      if (row) updatePendingRow(row, request, now);
      else {
        row = pendingRow(request, now);
        state.pendingRows.set(id, row);
      }
      // Move only rows that are out of place, so a note being typed keeps its focus.
      if (body.children[index] !== row) body.insertBefore(row, body.children[index] || null);
    });

    show(byId('pending-loading'), false);
    show(byId('pending-error'), false);
    show(byId('pending-empty'), pending.length === 0);
    show(byId('pending-table'), pending.length > 0);
    byId('pending-count').textContent = pending.length ? '(' + pending.length + ')' : '';
  }

  function pendingRow(request, now) {
    const noteId = 'note-' + request.id;
    const row = el('tr', { 'data-request-id': request.id });
    const note = el('input', {
      id: noteId,
      type: 'text',
      class: 'note',
      maxlength: 1000,
      autocomplete: 'off',
      'aria-label': 'Note for ticket ' + ticketLabel(request) + ' (optional)',
    });
    const successful = el(
      'button',
      { type: 'button', class: 'button success', 'aria-label': 'Successful, ticket ' + ticketLabel(request) },
      'Successful'
    );
    const unsuccessful = el(
      'button',
      { type: 'button', class: 'button danger', 'aria-label': 'Unsuccessful, ticket ' + ticketLabel(request) },
      'Unsuccessful'
    );
    successful.addEventListener('click', () => mark(row, 'successful'));
    unsuccessful.addEventListener('click', () => mark(row, 'unsuccessful'));
    row.append(
      el('th', { scope: 'row', class: 'ticket' }),
      el('td', { class: 'order' }),
      el('td', { class: 'tracking' }),
      el('td', { class: 'carrier' }),
      el('td', { class: 'shipped' }),
      el('td', { class: 'when' }),
      el('td', { class: 'note-cell' }, note),
      el('td', { class: 'actions' }, el('div', { class: 'button-group' }, successful, unsuccessful))
    );
    updatePendingRow(row, request, now);
    return row;
  }

  function updatePendingRow(row, request, now) {
    row.request = request;
    row.querySelector('.ticket').replaceChildren(ticketCell(request));
    row.querySelector('.order').textContent = dash(request.orderNumber);
    row.querySelector('.tracking').textContent = dash(request.trackingNumber);
    row.querySelector('.tracking').classList.toggle('mono', Boolean(request.trackingNumber));
    row.querySelector('.carrier').textContent = dash(request.carrier);
    row.querySelector('.shipped').textContent = request.shipped ? 'Yes' : 'No';
    row.querySelector('td.when').replaceWith(timeCell(request.submittedAt, now));
  }

  async function mark(row, result) {
    const request = row.request;
    const by = clerkName();
    if (!by) {
      askName('Enter your name before marking a request: it is recorded with the result.');
      return;
    }
    const noteText = row.querySelector('input.note').value.trim();
    const buttons = row.querySelectorAll('button');
    buttons.forEach((b) => (b.disabled = true));
    row.setAttribute('aria-busy', 'true');
    clearMessages();
    try {
      const response = await api(API + '/requests/' + encodeURIComponent(request.id) + '/result', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ result: result, by: by, note: noteText === '' ? null : noteText }),
      });
      if (response.ok) {
        state.pendingRows.delete(String(request.id));
        row.remove();
        say('Ticket ' + ticketLabel(request) + ' marked ' + result + '.');
        renderPendingPlaceholders();
        await refresh();
        return;
      }
      const error = await errorOf(response);
      if (response.status === 409) {
        await refresh();
        const current = state.all.find((r) => String(r.id) === String(request.id));
        warn(
          current && current.result !== 'pending'
            ? 'Already marked ' + current.result + (current.resultBy ? ' by ' + current.resultBy : '')
            : 'Already marked: ' + error.message
        );
        return;
      }
      warn('Could not mark ticket ' + ticketLabel(request) + ' ' + result + ': ' + error.message);
    } catch (e) {
      if (e instanceof SignedOut) return;
      warn('Could not mark ticket ' + ticketLabel(request) + ' ' + result + ': ' + e.message);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
      row.removeAttribute('aria-busy');
    }
  }

  function renderPendingPlaceholders() {
    const count = state.pendingRows.size;
    show(byId('pending-empty'), count === 0);
    show(byId('pending-table'), count > 0);
    byId('pending-count').textContent = count ? '(' + count + ')' : '';
  }

  // ---- history -----------------------------------------------------------------------------

  function renderHistory(requests) {
    state.all = requests;
    const now = new Date();
    const done = requests
      .filter((r) => r.result !== 'pending')
      .sort((a, b) => millis(b.resultAt) - millis(a.resultAt) || Number(b.id) - Number(a.id));
    const shown = done.slice(0, HISTORY_LIMIT);
    byId('history-rows').replaceChildren(...shown.map((r) => historyRow(r, now)));
    show(byId('history-loading'), false);
    show(byId('history-error'), false);
    show(byId('history-empty'), done.length === 0);
    show(byId('history-table'), done.length > 0);
    const more = byId('history-more');
    more.textContent =
      done.length > shown.length
        ? 'Showing the latest ' + shown.length + ' of ' + done.length + ' results; responses.csv has them all.'
        : '';
    show(more, done.length > shown.length);
  }

  function historyRow(request, now) {
    const marked = timeCell(request.resultAt, now);
    if (request.resultBy) marked.append(el('span', { class: 'by' }, 'by ' + request.resultBy));
    return el(
      'tr',
      { 'data-request-id': request.id },
      el('th', { scope: 'row' }, ticketCell(request)),
      el('td', {}, dash(request.orderNumber)),
      el('td', { class: request.trackingNumber ? 'mono' : null }, dash(request.trackingNumber)),
      el('td', {}, resultBadge(request.result)),
      marked,
      el('td', { class: 'note-text' }, dash(request.note)),
      el('td', {}, TRACKING_LABELS[request.trackingOutcome] || dash(request.trackingOutcome)),
      el('td', {}, CUSTOMER_LABELS[request.customerOutcome] || dash(request.customerOutcome))
    );
  }

  // ---- responses.csv -----------------------------------------------------------------------

  async function download() {
    const button = byId('download');
    button.disabled = true;
    clearMessages();
    try {
      const response = await api(API + '/responses.csv', { headers: { Accept: 'text/csv' } });
      if (!response.ok) throw await errorOf(response);
      await Desk.saveAs(response, 'responses.csv');
      say('responses.csv downloaded.');
    } catch (e) {
      if (!(e instanceof SignedOut)) warn('Could not download responses.csv: ' + e.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---- start -------------------------------------------------------------------------------

  function start() {
    byId('name-form').addEventListener('submit', saveName);
    byId('change-name').addEventListener('click', () => askName());
    byId('refresh').addEventListener('click', refresh);
    byId('download').addEventListener('click', download);
    session.start();
  }

  start();
})();

// The team lead's page (contract section 12). Talks only to the same-origin admin API with the
// admin token as a bearer token; every piece of data reaches the page through textContent, never
// as HTML. Charts are drawn by uPlot, served from the service's jar (/ops/vendor/), so the page
// needs no internet and no inline script or style (Content-Security-Policy default-src 'self').
// The sign-in, the token and the small DOM helpers are desk.js's, shared with the logistics page.
'use strict';

(function () {
  const TOKEN_KEY = 'cancellationDesk.adminToken'; // sessionStorage: gone when the tab closes
  const DAY_MS = 24 * 60 * 60 * 1000;
  const HALF_WEEK_S = 3.5 * 24 * 60 * 60;
  const COLORS = { bar: '#1f73b7', p50: '#1f73b7', p90: '#ad5918' };

  const STAGE_LABELS = {
    needs_order_number: 'Needs order number',
    order_not_found: 'Order not found',
    lookup_failed: 'Lookup failed',
    awaiting_logistics: 'Awaiting logistics',
    watching_tracking: 'Watching tracking',
    awaiting_customer_decision: 'Awaiting customer',
  };
  const REASON_LABELS = {
    lookup_failed: 'Order lookup failed',
    needs_order_number: 'Needs order number',
    order_not_found: 'Order not found',
    tracking_stalled: 'Tracking stalled',
    logistics_overdue: 'Logistics overdue',
    write_refused: 'Zendesk refused an update',
    input_set_aside: 'Input set aside',
  };
  const FUNNEL = [
    ['requests', 'Requests'],
    ['1.1', '1.1 Not shipped'],
    ['1.2', '1.2 Shipped'],
    ['1.3', '1.3 Delivered before'],
    ['3.1', '3.1 Stopped'],
    ['3.2', '3.2 Not stopped'],
    ['4.1', '4.1 Returned'],
    ['4.2', '4.2 Delivered'],
    ['5.1', '5.1 Kept'],
    ['5.2', '5.2 Sales return'],
    ['refundEscalated', 'Refunds escalated'],
  ];
  const TIMINGS = [
    ['webhookToNoteSeconds', 'Webhook → step-1 note', 'seconds'],
    ['logisticsResultWorkingHours', 'Logistics request → result', 'working hours'],
    ['refusalToOutcomeDays', 'Refusal asked → tracking outcome', 'days'],
    ['requestToRefundDays', 'Request → refund escalation', 'days'],
  ];

  const { byId, el, show, say, warn, SignedOut, ApiError } = Desk;
  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

  const state = { charts: [], ticketUrl: null };

  const session = Desk.session({
    tokenKey: TOKEN_KEY,
    tokenName: 'admin',
    refresh: load,
    firstCall: () => json('/api/ops/now'),
    signedIn: async (now) => {
      renderNow(now);
      await loadStats();
    },
    signedOut: () => {
      destroyCharts();
      for (const id of ['attention-rows', 'open-rows', 'carriers-rows', 'stages', 'funnel-numbers', 'timing-charts'])
        byId(id).replaceChildren();
    },
  });
  const api = session.api;

  // ---- small helpers -----------------------------------------------------------------------

  function age(iso, now) {
    const ms = now - Date.parse(iso);
    const days = Math.floor(ms / DAY_MS);
    const hours = Math.floor((ms % DAY_MS) / 3600000);
    if (days > 0) return days + ' d ' + hours + ' h';
    const minutes = Math.floor((ms % 3600000) / 60000);
    return hours > 0 ? hours + ' h ' + minutes + ' min' : Math.max(minutes, 0) + ' min';
  }

  /** The ticket, linked to Zendesk when the service knows where Zendesk is. */
  function ticketLink(id) {
    if (!state.ticketUrl) return '#' + id;
    return el('a', { href: state.ticketUrl + id, target: '_blank', rel: 'noopener' }, '#' + id);
  }

  function isoDate(d) {
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  // ---- API ---------------------------------------------------------------------------------

  async function json(path, options) {
    const response = await api(path, options);
    const body = await Desk.bodyOf(response);
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  function period() {
    return '?from=' + encodeURIComponent(byId('from').value) + '&to=' + encodeURIComponent(byId('to').value);
  }

  // ---- loading -----------------------------------------------------------------------------

  async function load() {
    try {
      renderNow(await json('/api/ops/now'));
      await loadStats();
    } catch (e) {
      if (!(e instanceof SignedOut)) warn('Could not load the overview: ' + e.message);
    }
  }

  async function loadStats() {
    const stats = await json('/api/stats' + period());
    renderStats(stats);
    byId('updated').textContent = 'Updated ' + dateTime.format(new Date());
  }

  // ---- now ---------------------------------------------------------------------------------

  function renderNow(now) {
    state.ticketUrl = now.ticketUrl || null;
    const at = Date.parse(now.at);
    const attention = now.needsAttention || [];
    byId('attention-count').textContent = '(' + attention.length + ')';
    show(byId('attention-empty'), attention.length === 0);
    show(byId('attention-table'), attention.length > 0);
    byId('attention-rows').replaceChildren(...attention.map((a) => attentionRow(a, at)));

    const open = now.open || [];
    show(byId('open-empty'), open.length === 0);
    show(byId('open-table'), open.length > 0);
    byId('open-rows').replaceChildren(
      ...open.map((c) =>
        el(
          'tr',
          { 'data-ticket-id': c.ticketId },
          el('th', { scope: 'row' }, ticketLink(c.ticketId)),
          el('td', {}, c.orderNumber || '—'),
          el('td', {}, STAGE_LABELS[c.stage] || c.stage),
          el('td', { class: 'when' }, age(c.openedAt, at)),
          el('td', {}, c.nextAction || '—')
        )
      )
    );
    const more = byId('open-more');
    show(more, open.length >= now.openLimit);
    more.textContent = 'The ' + now.openLimit + ' oldest open cases are listed; the counts above cover them all.';
  }

  function attentionRow(a, at) {
    const retry = el(
      'button',
      { type: 'button', class: 'button secondary', 'aria-label': 'Retry ticket #' + a.ticketId },
      'Retry'
    );
    retry.addEventListener('click', () => doRetry(a.ticketId, retry));
    return el(
      'tr',
      { 'data-ticket-id': a.ticketId, 'data-reason': a.reason },
      el('th', { scope: 'row' }, ticketLink(a.ticketId)),
      el('td', {}, a.orderNumber || '—'),
      el('td', {}, el('span', { class: 'reason' }, REASON_LABELS[a.reason] || a.reason)),
      el('td', { class: 'when' }, a.since ? age(a.since, at) + ' ago' : '—'),
      el('td', { class: 'actions' }, retry)
    );
  }

  async function doRetry(ticketId, button) {
    button.disabled = true;
    try {
      const o = await json('/api/cases/' + encodeURIComponent(ticketId) + '/retry', { method: 'POST' });
      const parts = [];
      if (o.writes) parts.push(o.writes + ' Zendesk update(s) sent again');
      if (o.inputs) parts.push(o.inputs + ' input(s) worked again');
      if (o.recheck) parts.push('order and tracking checked again');
      say('Ticket #' + ticketId + ': ' + parts.join(', ') + '.');
      await load();
    } catch (e) {
      if (!(e instanceof SignedOut)) warn('Retry of ticket #' + ticketId + ' failed: ' + e.message);
      button.disabled = false;
    }
  }

  // ---- stats -------------------------------------------------------------------------------

  function renderStats(stats) {
    destroyCharts();
    const stages = Object.entries(stats.openByStage || {});
    byId('stages').replaceChildren(
      ...stages.map(([stage, n]) =>
        el(
          'li',
          { class: n === 0 ? 'tile zero' : 'tile', 'data-stage': stage },
          el('span', { class: 'n' }, String(n)),
          el('span', { class: 'label' }, STAGE_LABELS[stage] || stage)
        )
      )
    );
    byId('funnel-period').textContent = stats.from + ' – ' + stats.to;
    renderFunnel(stats.funnel || {});
    renderTimings(stats);
    renderCarriers(stats.carriers || []);
  }

  function renderFunnel(funnel) {
    const values = FUNNEL.map(([key]) => funnel[key] || 0);
    byId('funnel-numbers').replaceChildren(
      ...FUNNEL.flatMap(([key, label], i) => [
        el('dt', {}, label),
        el('dd', { 'data-key': key }, String(values[i])),
      ])
    );
    const box = byId('funnel-chart');
    const data = [FUNNEL.map((_, i) => i), values];
    box.dataset.series = JSON.stringify({ labels: FUNNEL.map(([key]) => key), values });
    chart(box, {
      height: 260,
      scales: { x: { time: false, range: [-0.6, FUNNEL.length - 0.4] }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [
        {
          splits: () => FUNNEL.map((_, i) => i),
          values: (u, splits) => splits.map((i) => (FUNNEL[i] ? FUNNEL[i][0] : '')),
          grid: { show: false },
        },
        { values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      ],
      legend: { show: false },
      cursor: { show: false },
      series: [
        {},
        {
          label: 'Cases',
          fill: COLORS.bar,
          stroke: COLORS.bar,
          paths: uPlot.paths.bars({ size: [0.6, 48] }),
          points: { show: false },
        },
      ],
    }, data);
  }

  function renderTimings(stats) {
    const grid = byId('timing-charts');
    grid.replaceChildren();
    const weeks = stats.weekly || [];
    const x = weeks.map((w) => Date.parse(w.week + 'T00:00:00Z') / 1000);
    // Half a week either side, so a single week is a point in the middle, not at an edge.
    const xRange = x.length ? [x[0] - HALF_WEEK_S, x[x.length - 1] + HALF_WEEK_S] : null;
    const drawn = [];
    for (const [key, title, unit] of TIMINGS) {
      const total = (stats.timings || {})[key] || { n: 0 };
      const box = el('div', { class: 'chart', 'data-timing': key });
      const summary = el(
        'p',
        { class: 'summary', 'data-timing-summary': key },
        'Period: median ',
        el('strong', { 'data-p': 'p50' }, fmt(total.p50)),
        ', p90 ',
        el('strong', { 'data-p': 'p90' }, fmt(total.p90)),
        ' ' + unit + ' (' + total.n + ' cases). Per week: median solid blue, p90 dashed orange.'
      );
      grid.append(el('div', { class: 'timing' }, el('h3', {}, title + ' (' + unit + ')'), summary, box));
      const p50 = weeks.map((w) => (w.timings[key] ? w.timings[key].p50 : null));
      const p90 = weeks.map((w) => (w.timings[key] ? w.timings[key].p90 : null));
      box.dataset.series = JSON.stringify({ weeks: weeks.map((w) => w.week), p50, p90 });
      drawn.push([box, unit, p50, p90]);
    }
    // Drawn once the grid holds all four boxes, so each chart takes its own box's width.
    for (const [box, unit, p50, p90] of drawn) {
      chart(box, {
        height: 200,
        scales: {
          x: xRange ? { time: true, auto: false, range: xRange } : { time: true },
          y: { range: (u, min, max) => [0, Math.max(1, max || 0) * 1.15] },
        },
        axes: [{}, { label: unit, size: 56 }],
        legend: { show: false },
        series: [
          { label: 'Week of' },
          { label: 'Median', stroke: COLORS.p50, width: 2, points: { show: true, size: 6 } },
          { label: 'p90', stroke: COLORS.p90, width: 2, dash: [6, 4], points: { show: true, size: 6 } },
        ],
      }, [x, p50, p90]);
    }
  }

  function fmt(v) {
    return v === null || v === undefined ? '—' : number.format(v);
  }

  function renderCarriers(carriers) {
    show(byId('carriers-empty'), carriers.length === 0);
    show(byId('carriers-table'), carriers.length > 0);
    byId('carriers-rows').replaceChildren(
      ...carriers.map((c) =>
        el(
          'tr',
          { 'data-carrier': c.carrier },
          el('th', { scope: 'row' }, c.carrier),
          el('td', { class: 'num' }, String(c.refusals)),
          el('td', { class: 'num' }, String(c.returnedToSender)),
          el('td', { class: 'num' }, String(c.deliveredAnyway)),
          el('td', { class: 'num' }, c.refusals ? Math.round((100 * c.deliveredAnyway) / c.refusals) + ' %' : '—')
        )
      )
    );
  }

  // ---- charts ------------------------------------------------------------------------------

  function chart(box, options, data) {
    if (typeof uPlot === 'undefined') {
      box.textContent = 'The chart library did not load; the numbers are beside.';
      return;
    }
    options.width = Math.max(280, Math.floor(box.getBoundingClientRect().width) || 560);
    state.charts.push(new uPlot(options, data, box));
  }

  function destroyCharts() {
    for (const c of state.charts) c.destroy();
    state.charts = [];
    byId('funnel-chart').replaceChildren();
  }

  // ---- csv ---------------------------------------------------------------------------------

  async function download() {
    const button = byId('download');
    button.disabled = true;
    try {
      const response = await api('/api/cases.csv' + period(), { headers: { Accept: 'text/csv' } });
      if (!response.ok) throw new ApiError(response.status, null);
      const name = 'cases-' + byId('from').value + '-' + byId('to').value + '.csv';
      await Desk.saveAs(response, name);
      say(name + ' downloaded.');
    } catch (e) {
      if (!(e instanceof SignedOut)) warn('Could not download cases.csv: ' + e.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---- start -------------------------------------------------------------------------------

  function start() {
    const today = new Date();
    byId('to').value = isoDate(today);
    byId('from').value = isoDate(new Date(today.getTime() - 29 * DAY_MS));
    byId('refresh').addEventListener('click', load);
    byId('download').addEventListener('click', download);
    byId('period-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      if (byId('from').value > byId('to').value) {
        warn('"From" must not be after "to".');
        return;
      }
      try {
        await loadStats();
        say('Showing ' + byId('from').value + ' to ' + byId('to').value + '.');
      } catch (e) {
        if (!(e instanceof SignedOut)) warn('Could not load the period: ' + e.message);
      }
    });
    session.start();
  }

  start();
})();

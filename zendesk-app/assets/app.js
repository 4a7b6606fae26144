// The ticket sidebar: shows the ticket's cancellation case (contract section 10) and records the
// agent's actions. Every ZAF call is in zaf.js; every user-visible string is in
// translations/en.json, which the build turns into i18n.js.
import strings from './i18n.js';
import { connect } from './zaf.js';

const FINAL_STAGES = ['refund_escalated', 'order_kept', 'sales_return', 'closed'];
const REFUSAL_STAGES = ['awaiting_logistics', 'watching_tracking'];

const zaf = connect();
const view = {
  status: document.getElementById('status'),
  message: document.getElementById('message'),
  caseView: document.getElementById('case'),
  setup: document.getElementById('setup')
};
let ticketId = null;
let latestLoad = 0;
let busy = false;

// --- strings ----------------------------------------------------------------------------------

function lookup(key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), strings);
}

/** The translation at `key` with {{name}} placeholders filled from `vars`. */
function t(key, vars) {
  const text = lookup(key);
  if (typeof text !== 'string') {
    return key;
  }
  return text.replace(/{{\s*(\w+)\s*}}/g, (match, name) =>
    vars && vars[name] != null ? String(vars[name]) : '');
}

/** A translation of a value from the service, or the value itself when none exists. */
function label(group, value) {
  const text = lookup('sidebar.' + group + '.' + value);
  return typeof text === 'string' ? text : String(value).replace(/_/g, ' ');
}

function stepTitle(step) {
  const text = lookup('sidebar.steps.' + String(step).replace('.', '_'));
  return typeof text === 'string' ? text : t('sidebar.step_unknown', { step: step });
}

// --- DOM helpers ------------------------------------------------------------------------------

function el(tag, attributes, children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value === false || value == null) {
      return;
    }
    if (name === 'text') {
      node.textContent = value;
    } else if (name === 'onClick') {
      node.addEventListener('click', value);
    } else {
      node.setAttribute(name, value === true ? '' : value);
    }
  });
  (children || []).filter(Boolean).forEach((child) =>
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child));
  return node;
}

/** Replaces the node's children, skipping the parts that are not shown (null). */
function fill(node, children) {
  node.replaceChildren(...children.filter(Boolean));
}

function section(className, heading, children) {
  const id = className + '-heading';
  return el('section', { class: 'block ' + className, 'aria-labelledby': id }, [
    el('h2', { id: id, class: 'block__heading', text: heading })
  ].concat(children));
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'
});

function time(iso) {
  const date = new Date(iso);
  const text = Number.isNaN(date.getTime()) ? String(iso) : timeFormat.format(date);
  return el('time', { datetime: iso, text: text });
}

// --- states -----------------------------------------------------------------------------------

function announce(text) {
  view.status.textContent = text;
}

/** Replaces the case with a short message (loading, no case, unreachable, not configured). */
function showMessage(kind, text, withRetry) {
  view.caseView.hidden = true;
  view.caseView.replaceChildren();
  view.message.hidden = false;
  view.message.className = 'message message--' + kind;
  fill(view.message, [
    el('p', { class: 'message__text', text: text }),
    withRetry ? el('button', {
      type: 'button', class: 'btn btn--secondary', 'data-action': 'retry',
      text: t('sidebar.retry'), onClick: () => load(true)
    }) : null
  ]);
  document.body.setAttribute('aria-busy', kind === 'loading' ? 'true' : 'false');
  document.body.dataset.state = kind;
  announce(text);
}

function showFailure(error) {
  if (error.kind === 'not_found') {
    showMessage('empty', t('sidebar.no_case'), false);
  } else if (error.kind === 'not_configured') {
    showMessage('setup', t('sidebar.not_configured'), false);
  } else {
    showMessage('error', t('sidebar.unreachable'), true);
  }
}

// --- the case ---------------------------------------------------------------------------------

function renderCase(c) {
  const heading = el('h1', { class: 'step__title', tabindex: '-1' }, [
    el('span', { class: 'step__number', text: c.sopStep }),
    el('span', { class: 'step__sep', text: ' · ' }),
    stepTitle(c.sopStep)
  ]);
  fill(view.caseView, [
    el('header', { class: 'step' }, [
      heading,
      el('p', { class: 'step__stage', 'data-stage': c.stage, text: label('stages', c.stage) })
    ]),
    c.nextAction ? section('next', t('sidebar.next_action'), [
      el('p', { class: 'next__text', text: c.nextAction })
    ]) : null,
    c.suggestedMacro ? renderMacro(c.suggestedMacro) : null,
    renderActions(c),
    section('facts', t('sidebar.facts.heading'), [renderFacts(c)]),
    renderTimeline(c.timeline || [])
  ]);
  view.message.hidden = true;
  view.caseView.hidden = false;
  document.body.setAttribute('aria-busy', 'false');
  document.body.dataset.state = 'case';
  return heading;
}

function renderMacro(macro) {
  const missing = macro.id == null;
  return section('macro', t('sidebar.macro.heading'), [
    el('p', { class: 'macro__title', text: macro.title }),
    el('button', {
      type: 'button', class: 'btn btn--primary', 'data-action': 'apply-macro',
      disabled: missing, 'aria-describedby': missing ? 'macro-missing' : null,
      text: t('sidebar.macro.apply'), onClick: () => applyMacro(macro)
    }),
    missing ? el('p', { id: 'macro-missing', class: 'hint', text: t('sidebar.macro.missing') }) : null
  ]);
}

/** Only the actions that make sense at this stage of the SOP. */
function availableActions(c) {
  const actions = [];
  const order = c.order || {};
  if (!c.refusalRequested && order.trackingNumber && !order.deliveredAt
      && REFUSAL_STAGES.includes(c.stage)) {
    actions.push('refusal_requested');
  }
  if (c.stage === 'awaiting_customer_decision') {
    actions.push('customer_keeps', 'customer_returns');
  }
  if (!FINAL_STAGES.includes(c.stage)) {
    actions.push('recheck');
  }
  return actions;
}

function renderActions(c) {
  const actions = availableActions(c);
  if (actions.length === 0) {
    return null;
  }
  return section('actions', t('sidebar.actions.heading'), [
    el('div', { class: 'actions__list' }, actions.map((action) => el('button', {
      type: 'button', class: 'btn btn--secondary', 'data-action': action,
      text: t('sidebar.actions.' + action), onClick: () => recordAction(action)
    })))
  ]);
}

function fact(term, value) {
  return [el('dt', { text: term }), el('dd', {}, [].concat(value))];
}

function renderFacts(c) {
  const order = c.order;
  const rows = [];
  rows.push(...fact(t('sidebar.facts.order'), c.orderNumber
    ? (order && order.status
      ? t('sidebar.facts.order_value', {
        orderNumber: c.orderNumber, status: label('order_status', order.status) })
      : c.orderNumber)
    : t('sidebar.facts.order_missing')));

  if (order && order.trackingNumber) {
    const tracking = [el('span', { class: 'mono', text: t('sidebar.facts.tracking_value', {
      trackingNumber: order.trackingNumber, carrier: order.carrier || '?' }) })];
    if (c.tracking && c.tracking.status) {
      tracking.push(el('br'), el('span', { class: 'pill pill--' + c.tracking.status,
        text: label('tracking_status', c.tracking.status) }));
      if (c.tracking.updatedAt) {
        tracking.push(' ', el('span', { class: 'muted' }, [time(c.tracking.updatedAt)]));
      }
      // The carrier's own words and its tracking page, when EasyPost or AfterShip give them.
      if (c.tracking.message) {
        tracking.push(el('br'), el('span', { class: 'muted', text: '“' + c.tracking.message + '”' }));
      }
      if (c.tracking.url && /^https?:\/\//.test(c.tracking.url)) {
        tracking.push(el('br'), el('a', { href: c.tracking.url, target: '_blank',
          rel: 'noopener noreferrer', text: t('sidebar.facts.tracking_link') }));
      }
    }
    rows.push(...fact(t('sidebar.facts.tracking'), tracking));
  } else {
    rows.push(...fact(t('sidebar.facts.tracking'), t('sidebar.facts.tracking_none')));
  }

  const logistics = c.logistics;
  if (logistics) {
    const parts = [el('span', { class: 'pill pill--' + logistics.result,
      text: label('logistics_result', logistics.result) })];
    if (logistics.trackingOutcome) {
      parts.push(el('br'), t('sidebar.facts.tracking_outcome', {
        outcome: label('tracking_outcome', logistics.trackingOutcome) }));
    }
    if (logistics.customerOutcome) {
      parts.push(el('br'), t('sidebar.facts.customer_outcome', {
        outcome: label('customer_outcome', logistics.customerOutcome) }));
    }
    rows.push(...fact(t('sidebar.facts.logistics'), parts));
  } else {
    rows.push(...fact(t('sidebar.facts.logistics'), t('sidebar.facts.logistics_none')));
  }

  if (c.refundEscalated) {
    rows.push(...fact(t('sidebar.facts.refund'), t('sidebar.facts.refund_escalated')));
  }
  return el('dl', { class: 'facts__list' }, rows);
}

function renderTimeline(entries) {
  if (entries.length === 0) {
    return section('timeline', t('sidebar.timeline.heading'), [
      el('p', { class: 'muted', text: t('sidebar.timeline.empty') })
    ]);
  }
  // Newest first: the agent opens the sidebar to see what changed last.
  const items = entries.slice().reverse().map((entry) => el('li', { class: 'timeline__item' }, [
    el('div', { class: 'timeline__meta' }, [
      time(entry.at),
      entry.step ? el('span', {
        class: 'timeline__step', text: t('sidebar.timeline.step', { step: entry.step }) }) : null
    ]),
    timelineText(entry.text || '')
  ]));
  return section('timeline', t('sidebar.timeline.heading'), [
    el('ol', { class: 'timeline__list', reversed: true }, items)
  ]);
}

/** A private note shows its first line; the rest (evidence, next action) opens on demand. */
function timelineText(text) {
  const lines = text.trim().split('\n');
  const rest = lines.slice(1).join('\n').trim();
  if (!rest) {
    return el('p', { class: 'timeline__text', text: lines[0] });
  }
  return el('details', { class: 'timeline__text' }, [
    el('summary', { text: lines[0] }),
    el('p', { class: 'timeline__note', text: rest })
  ]);
}

// --- behaviour --------------------------------------------------------------------------------

/** Loads the case; a later load wins over an earlier one still in flight. */
function load(showLoading) {
  const thisLoad = ++latestLoad;
  if (showLoading) {
    showMessage('loading', t('sidebar.loading'), false);
  }
  return zaf.fetchCase(ticketId).then((c) => {
    if (thisLoad === latestLoad) {
      renderCase(c);
      if (showLoading) {
        announce('');
      }
    }
  }, (error) => {
    if (thisLoad === latestLoad) {
      showFailure(error);
    }
  });
}

function setButtonsDisabled(disabled) {
  view.caseView.querySelectorAll('.actions button').forEach((button) => {
    button.disabled = disabled;
  });
}

function recordAction(action) {
  if (busy) {
    return;
  }
  busy = true;
  setButtonsDisabled(true);
  announce(t('sidebar.actions.working'));
  const thisLoad = ++latestLoad;
  zaf.currentAgent()
    .then((agent) => zaf.recordAction(ticketId, action, agent))
    .then((c) => {
      if (thisLoad === latestLoad) {
        renderCase(c).focus();
      }
      announce(t('sidebar.actions.done'));
    }, (error) => {
      if (error.kind === 'unreachable' || error.kind === 'not_configured') {
        showFailure(error);
      } else {
        setButtonsDisabled(false);
        announce(t('sidebar.actions.failed', { detail: error.detail || error.status }));
      }
    })
    .finally(() => { busy = false; });
}

function applyMacro(macro) {
  Promise.resolve(zaf.applyMacro(macro.id)).then(
    () => announce(t('sidebar.macro.applied', { title: macro.title })),
    () => announce(t('sidebar.macro.failed')));
}

/**
 * Admins only: a short line when GET /api/status reports a failed check (contract 8a), so a
 * set-up problem shows where it is noticed. Agents see nothing of it, and nothing is asked for them.
 */
function showSetupProblemToAdmins() {
  zaf.currentRole().then((role) => {
    if (role !== 'admin') {
      return;
    }
    zaf.fetchStatus().then((status) => {
      const failed = ((status && status.checks) || []).filter((check) => check.ok === false);
      if (failed.length === 0) {
        return;
      }
      view.setup.textContent = t('sidebar.setup.problem', {
        name: failed[0].name,
        detail: failed[0].detail,
        more: failed.length > 1 ? t('sidebar.setup.more', { count: failed.length - 1 }) : ''
      });
      view.setup.hidden = false;
    }, () => {});
  }, () => {});
}

function start() {
  document.title = t('sidebar.title');
  showMessage('loading', t('sidebar.loading'), false);
  new ResizeObserver(() => zaf.resize(document.body.scrollHeight)).observe(document.body);
  zaf.ticketId().then((id) => {
    ticketId = id;
    zaf.onTicketChange(() => load(false));
    showSetupProblemToAdmins();
    return load(true);
  }).catch(() => showMessage('error', t('sidebar.unreachable'), true));
}

zaf.whenRegistered().then(start);

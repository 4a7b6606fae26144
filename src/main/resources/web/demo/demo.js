// The demo's start page: lists the demo tickets with their step, refreshed every second.
(function () {
  'use strict';

  function el(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text != null) node.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function row(entry) {
    var t = entry.ticket;
    var tr = el('tr', null, { 'data-ticket-id': String(t.id) });
    var cell = el('td');
    var link = el('a', '#' + t.id + ' ' + t.subject, { href: '/demo/preview/' + t.id, class: 'preview-link' });
    cell.appendChild(link);
    tr.appendChild(cell);
    tr.appendChild(el('td', t.orderNumber));
    tr.appendChild(el('td', entry.step || '…', { class: 'step' }));
    tr.appendChild(el('td', entry.stage ? entry.stage.replace(/_/g, ' ') : 'waiting for the service', { class: 'stage' }));
    tr.appendChild(el('td', entry.what, { class: 'what' }));
    return tr;
  }

  function refresh() {
    fetch('/demo/api/tickets').then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (overview) {
      document.getElementById('now').textContent = overview.now.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
      document.getElementById('speed').textContent = '(' + overview.speed + '× real time)';
      document.getElementById('tickets').replaceChildren.apply(
        document.getElementById('tickets'), overview.tickets.map(row));
      document.getElementById('error').hidden = true;
    }).catch(function (e) {
      var error = document.getElementById('error');
      error.textContent = 'The demo stopped answering (' + e.message + ').';
      error.hidden = false;
    });
  }

  refresh();
  setInterval(refresh, 1000);
})();

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

  // Rows are updated in place, not rebuilt: a link the visitor is about to click stays the same
  // element through every refresh.
  function update(tbody, entries) {
    var keep = {};
    entries.forEach(function (entry) {
      var id = String(entry.ticket.id);
      keep[id] = true;
      var fresh = row(entry);
      var current = tbody.querySelector('tr[data-ticket-id="' + id + '"]');
      if (!current) { tbody.appendChild(fresh); return; }
      ['step', 'stage', 'what'].forEach(function (name) {
        var cell = current.querySelector('td.' + name);
        var text = fresh.querySelector('td.' + name).textContent;
        if (cell.textContent !== text) cell.textContent = text;
      });
    });
    Array.prototype.slice.call(tbody.children).forEach(function (tr) {
      if (!keep[tr.getAttribute('data-ticket-id')]) tr.remove();
    });
  }

  function refresh() {
    fetch('/demo/api/tickets').then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (overview) {
      document.getElementById('now').textContent = overview.now.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
      document.getElementById('speed').textContent = '(' + overview.speed + '× real time)';
      update(document.getElementById('tickets'), overview.tickets);
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

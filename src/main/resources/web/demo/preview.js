// The sidebar preview: the real app in the iframe (its page served with the stub ZAFClient), and
// the ticket's tags and private notes as the stand-in Zendesk holds them. When the ticket changes,
// the app is reloaded, as Zendesk re-renders it on ticket.updated.
(function () {
  'use strict';
  var id = window.location.pathname.split('/').pop();
  var frame = document.getElementById('sidebar');
  var lastUpdate = null;
  frame.src = '/demo/app/' + encodeURIComponent(id) + '/iframe.html';

  function item(tag, text) {
    var node = document.createElement(tag);
    node.textContent = text;
    return node;
  }

  function refresh() {
    fetch('/demo/api/tickets/' + encodeURIComponent(id)).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (view) {
      var t = view.ticket;
      document.getElementById('title').textContent = '#' + t.id + ' ' + t.subject;
      document.getElementById('now').textContent = view.now.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
      document.getElementById('status').textContent = t.status;
      var tags = document.getElementById('tags');
      tags.replaceChildren.apply(tags, t.tags.map(function (x) { return item('li', x); }));
      var notes = document.getElementById('notes');
      notes.replaceChildren.apply(notes, t.privateNotes.map(function (x) { return item('li', x); }));
      if (lastUpdate !== null && lastUpdate !== t.updatedAt) {
        frame.src = frame.src;
      }
      lastUpdate = t.updatedAt;
    }).catch(function () { /* next round */ });
  }

  refresh();
  setInterval(refresh, 1000);
})();

// Signs the visitor in to the logistics page or the team lead's page with the demo's own tokens,
// where those pages keep them (this tab's sessionStorage), then opens the page.
(function () {
  'use strict';
  var page = window.location.pathname.split('/').pop();
  if (page !== 'logistics' && page !== 'ops') {
    document.getElementById('message').textContent = 'No such page: ' + page;
    return;
  }
  fetch('/demo/api/session').then(function (r) { return r.json(); }).then(function (tokens) {
    if (page === 'logistics') {
      sessionStorage.setItem('cancellationDesk.logisticsToken', tokens.logistics);
      if (!localStorage.getItem('cancellationDesk.logisticsName')) {
        localStorage.setItem('cancellationDesk.logisticsName', 'Demo visitor');
      }
    } else {
      sessionStorage.setItem('cancellationDesk.adminToken', tokens.admin);
    }
    window.location.replace('/' + page);
  }).catch(function (e) {
    document.getElementById('message').textContent = 'The demo did not answer: ' + e.message;
  });
})();

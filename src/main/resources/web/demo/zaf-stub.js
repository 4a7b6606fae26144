// A hand-built stand-in for the ZAF SDK (zaf_sdk.min.js), the way Zendesk's app_scaffolds test
// against a hand-built client. Served in place of the SDK by the browser tests' SidebarHost and by
// the `demo` command's sidebar preview, with window.__zafStubConfig = {ticketId, currentUser,
// settings[, invokeUrl]} set before it (by a script file: the demo's pages allow no inline script).
// With invokeUrl, every invoke() (e.g. 'macro') is also posted there, so the host can play it.
//
// request() does what Zendesk's proxy does: the page posts the request options to the host, which
// fills in the {{setting.*}} placeholders (secure settings only when secure: true), calls the
// backend and hands back the status and body. The secure token therefore never reaches the page.
// The test drives and inspects the stub through window.__zaf.
(function () {
  'use strict';
  var config = window.__zafStubConfig;
  var handlers = {};

  var stub = window.__zaf = {
    invocations: [],
    requests: [],
    /** Fires a ZAF event as Zendesk would; answers how many handlers heard it. */
    fire: function (name, payload) {
      var listeners = handlers[name] || [];
      listeners.forEach(function (listener) { listener(payload); });
      return listeners.length;
    },
    listeners: function (name) {
      return (handlers[name] || []).length;
    }
  };

  function jqXhrLike(reply) {
    var json = null;
    try {
      json = JSON.parse(reply.body);
    } catch (notJson) {
      json = null;
    }
    return {
      status: reply.status,
      statusText: reply.statusText || '',
      responseText: reply.body,
      responseJSON: json
    };
  }

  var client = {
    metadata: function () {
      return Promise.resolve({
        appId: 0,
        installationId: 1,
        name: 'Cancellation Desk',
        settings: Object.assign({ title: 'Cancellation Desk' }, config.settings)
      });
    },

    get: function (path) {
      var known = { 'ticket.id': config.ticketId, currentUser: config.currentUser };
      if (!(path in known)) {
        return Promise.reject(new Error('stub ZAFClient has no ' + path));
      }
      var answer = {};
      answer[path] = known[path];
      return Promise.resolve(answer);
    },

    on: function (name, handler) {
      (handlers[name] = handlers[name] || []).push(handler);
    },

    invoke: function (name) {
      var invocation = { name: name, args: Array.prototype.slice.call(arguments, 1) };
      stub.invocations.push(invocation);
      if (!config.invokeUrl) {
        return Promise.resolve({});
      }
      return fetch(config.invokeUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(invocation)
      }).then(function () { return {}; });
    },

    request: function (options) {
      stub.requests.push(JSON.parse(JSON.stringify(options)));
      return fetch('/__zaf/request', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(options)
      }).then(function (response) { return response.json(); }).then(function (reply) {
        if (reply.status >= 200 && reply.status < 300) {
          var failure = jqXhrLike(reply);
          return failure.responseJSON !== null ? failure.responseJSON : reply.body;
        }
        throw jqXhrLike(reply);
      });
    }
  };

  window.ZAFClient = {
    init: function () {
      // Zendesk registers the app after init returns; handlers added right after init hear it.
      setTimeout(function () { stub.fire('app.registered', {}); }, 0);
      return client;
    }
  };
})();

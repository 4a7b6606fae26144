// The only module that talks to the Zendesk Apps framework (ZAF v2) and, through it, to the
// Cancellation Desk service. app.js sees plain promises and plain errors, never the ZAF client.
//
// Calls to the service go through client.request({secure: true}) so that Zendesk's proxy fills in
// the secure setting backend_token on its side: the agent's browser only ever holds the
// placeholder. The backend URL is not a secret; it is read from the app's metadata so that an
// unset URL can be told apart from an unreachable service, and a trailing slash does not matter.

/** Why a call to the service failed; app.js picks the state to show from `kind`. */
export class BackendError extends Error {
  /**
   * @param {'not_found'|'not_configured'|'unreachable'|'rejected'} kind
   * @param {number} status HTTP status, 0 when none came back
   * @param {string} detail the service's own explanation, when it gave one
   */
  constructor(kind, status, detail) {
    super(detail || kind);
    this.kind = kind;
    this.status = status;
    this.detail = detail || '';
  }
}

const TOKEN_HEADER = 'Bearer {{setting.backend_token}}';

export function connect() {
  // ZAFClient is the global the ZAF SDK script defines (a stub in the browser tests).
  const client = window.ZAFClient.init();
  let baseUrl;

  function backendBase() {
    if (!baseUrl) {
      baseUrl = client.metadata().then((metadata) => {
        const url = metadata && metadata.settings && metadata.settings.backend_url;
        if (!url || !String(url).trim()) {
          throw new BackendError('not_configured', 0, '');
        }
        return String(url).trim().replace(/\/+$/, '');
      });
      baseUrl.catch(() => { baseUrl = undefined; });
    }
    return baseUrl;
  }

  function call(ticketId, path, options) {
    return backendBase().then((base) => client.request(Object.assign({
      url: base + '/api/app/tickets/' + encodeURIComponent(ticketId) + path,
      secure: true,
      cors: false,
      dataType: 'json',
      headers: { Authorization: TOKEN_HEADER }
    }, options))).catch((failure) => { throw toBackendError(failure); });
  }

  return {
    /** Resolves once Zendesk has registered the app (ZAF's app.registered event). */
    whenRegistered() {
      return new Promise((resolve) => client.on('app.registered', resolve));
    },

    ticketId() {
      return client.get('ticket.id').then((data) => data['ticket.id']);
    },

    currentAgent() {
      return client.get('currentUser').then((data) => {
        const user = data.currentUser || {};
        return { id: user.id, name: user.name };
      });
    },

    /** GET /api/app/tickets/{id}: the case view (contract section 10). */
    fetchCase(ticketId) {
      return call(ticketId, '', { type: 'GET' });
    },

    /** POST /api/app/tickets/{id}/actions; answers the case view after the action. */
    recordAction(ticketId, action, agent) {
      return call(ticketId, '/actions', {
        type: 'POST',
        contentType: 'application/json',
        data: JSON.stringify({ action: action, agent: agent })
      });
    },

    /** Applies a macro to the open ticket; the agent still reviews and submits it. */
    applyMacro(macroId) {
      return client.invoke('macro', macroId);
    },

    /** The signed-in user's Zendesk role: 'admin', 'agent' or a custom role's name. */
    currentRole() {
      return client.get('currentUser').then((data) => (data.currentUser || {}).role);
    },

    /** GET /api/status: the service's set-up checks (contract section 8a). */
    fetchStatus() {
      return backendBase().then((base) => client.request({
        url: base + '/api/status',
        type: 'GET',
        secure: true,
        cors: false,
        dataType: 'json',
        headers: { Authorization: TOKEN_HEADER }
      })).catch((failure) => { throw toBackendError(failure); });
    },

    /**
     * Calls back when the ticket is saved, its tags change, or anyone else (the service included)
     * updates it: ZAF's ticket.updated event, "Ticket sidebar events" in the ZAF Support API docs.
     */
    onTicketChange(callback) {
      client.on('ticket.saved', callback);
      client.on('ticket.tags.changed', callback);
      client.on('ticket.updated', callback);
    },

    resize(heightPx) {
      client.invoke('resize', { width: '100%', height: Math.ceil(heightPx) + 'px' });
    }
  };
}

// ZAF rejects a request with a jqXHR-like object: {status, responseText, responseJSON}.
// Status 0 (no answer) and 5xx are the service being down or unreachable through the proxy.
function toBackendError(failure) {
  if (failure instanceof BackendError) {
    return failure;
  }
  const status = (failure && Number(failure.status)) || 0;
  const detail = errorDetail(failure);
  if (status === 404) {
    return new BackendError('not_found', status, detail);
  }
  if (status === 401 || status === 403) {
    return new BackendError('not_configured', status, detail);
  }
  if (status === 0 || status >= 500) {
    return new BackendError('unreachable', status, detail);
  }
  return new BackendError('rejected', status, detail);
}

function errorDetail(failure) {
  if (!failure) {
    return '';
  }
  let body = failure.responseJSON;
  if (!body && typeof failure.responseText === 'string') {
    try {
      body = JSON.parse(failure.responseText);
    } catch (notJson) {
      body = null;
    }
  }
  if (body && (body.detail || body.error)) {
    return String(body.detail || body.error);
  }
  return failure.statusText ? String(failure.statusText) : '';
}

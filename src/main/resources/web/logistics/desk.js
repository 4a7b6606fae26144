// What the desk's signed-in pages (logistics, ops) share: elements built from data without parsing
// it as HTML, the status and alert messages, and the session: sign in with a bearer token, keep it
// in this tab, call the same-origin API with it, and go back to the sign-in when the server refuses
// it. Served beside logistics.css (the pages' shared style sheet) and loaded before each page's own
// script; no inline script or style (Content-Security-Policy default-src 'self').
'use strict';

window.Desk = (function () {
  const REFRESH_MS = 60 * 1000; // both pages reload what they show every minute
  const byId = (id) => document.getElementById(id);

  /** The session ended (no token, or the server refused it); callers just stop. */
  class SignedOut extends Error {}

  /** A non-2xx answer, carrying the API's {"error", "detail"} when there is one. */
  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.error)) || 'the server answered ' + status);
      this.status = status;
    }
  }

  /** Builds an element; string children become text nodes, so data is never parsed as HTML. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  function say(text) {
    byId('alert').textContent = '';
    byId('status').textContent = text;
  }

  function warn(text) {
    byId('status').textContent = '';
    byId('alert').textContent = text;
  }

  function clearMessages() {
    byId('status').textContent = '';
    byId('alert').textContent = '';
  }

  function storage(kind) {
    try {
      return kind === 'session' ? window.sessionStorage : window.localStorage;
    } catch (e) {
      return null; // storage disabled: the page still works, it just forgets
    }
  }

  function remember(kind, key, value) {
    const store = storage(kind);
    if (!store) return;
    try {
      if (value === null) store.removeItem(key);
      else store.setItem(key, value);
    } catch (e) {
      // quota or privacy mode: nothing to do
    }
  }

  function recall(kind, key) {
    const store = storage(kind);
    try {
      return store ? store.getItem(key) : null;
    } catch (e) {
      return null;
    }
  }

  /** The answer's JSON body, or null when it has none. */
  async function bodyOf(response) {
    try {
      return await response.json();
    } catch (e) {
      return null; // not JSON: the status alone will have to do
    }
  }

  async function errorOf(response) {
    return new ApiError(response.status, await bodyOf(response));
  }

  /** Hands the answer's body to the browser as a download named {@code name}. */
  async function saveAs(response, name) {
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60 * 1000);
  }

  /**
   * The sign-in form (#sign-in-form, #token, #sign-in-button, #sign-in-error), the #sign-out
   * button and the token of one page. The token lives in sessionStorage under options.tokenKey, so
   * a reload keeps the page signed in and closing the tab forgets it. Options:
   * tokenName ("Enter the <tokenName> token"), refresh() (the page's reload: every minute, and when
   * a kept token opens the page), firstCall() (proves the token: a 401 there signs out with
   * the message), signedIn(answer) (shows what firstCall fetched), entered() (the page's part of
   * showing the desk; by default it focuses #main) and signedOut() (the page forgets its data).
   */
  function session(options) {
    let token = null;
    let timer = null;

    async function api(path, init) {
      if (!token) throw new SignedOut();
      const request = Object.assign({}, init || {});
      request.headers = Object.assign(
        { Accept: 'application/json', Authorization: 'Bearer ' + token },
        request.headers || {}
      );
      request.cache = 'no-store';
      const response = await fetch(path, request);
      if (response.status === 401) {
        signOut('That token was not accepted');
        throw new SignedOut();
      }
      return response;
    }

    async function signIn(event) {
      event.preventDefault();
      const input = byId('token');
      const button = byId('sign-in-button');
      const typed = input.value.trim();
      byId('sign-in-error').textContent = '';
      if (!typed) {
        byId('sign-in-error').textContent = 'Enter the ' + options.tokenName + ' token';
        input.focus();
        return;
      }
      button.disabled = true;
      button.textContent = 'Signing in…';
      token = typed;
      try {
        const answer = await options.firstCall(); // a 401 here signs out with the message
        remember('session', options.tokenKey, typed);
        input.value = '';
        enterDesk();
        await options.signedIn(answer);
      } catch (e) {
        if (!(e instanceof SignedOut)) {
          token = null;
          byId('sign-in-error').textContent = 'Could not sign in: ' + e.message;
        }
      } finally {
        button.disabled = false;
        button.textContent = 'Sign in';
      }
    }

    function enterDesk() {
      show(byId('sign-in'), false);
      show(byId('desk'), true);
      show(byId('account'), true);
      if (options.entered) options.entered();
      else byId('main').focus();
      clearInterval(timer);
      timer = setInterval(options.refresh, REFRESH_MS);
    }

    function signOut(message) {
      clearInterval(timer);
      timer = null;
      token = null;
      remember('session', options.tokenKey, null);
      options.signedOut();
      clearMessages();
      show(byId('desk'), false);
      show(byId('account'), false);
      show(byId('sign-in'), true);
      byId('sign-in-error').textContent = message || '';
      byId('token').focus();
    }

    /** Wires the form and the sign-out button; opens the desk at once when the tab kept a token. */
    function start() {
      byId('sign-in-form').addEventListener('submit', signIn);
      byId('sign-out').addEventListener('click', () => signOut(''));
      const kept = recall('session', options.tokenKey);
      if (kept) {
        token = kept;
        enterDesk();
        options.refresh();
      } else {
        byId('token').focus();
      }
    }

    return { api, start, token: () => token };
  }

  return {
    byId, el, show, say, warn, clearMessages, remember, recall,
    SignedOut, ApiError, bodyOf, errorOf, saveAs, session,
  };
})();

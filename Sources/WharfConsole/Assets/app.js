// The console's entry point: one page, routes in the URL fragment (#/, #/queue/<url>, #/login),
// so the server serves one file and a reload keeps the place.
import { Api, AUTH_ERRORS } from './api.js';
import { replace, errorText } from './dom.js';
import { Session } from './session.js';
import { LoginPage } from './pages/login.js';
import { QueueListPage } from './pages/queues.js';
import { QueuePage } from './pages/queue.js';

const session = new Session();
const api = new Api(session);
const main = document.getElementById('main');

/** What every page gets: the API, the session, and the page's shared pieces. */
const context = {
  api,
  session,
  main,
  /** Whether the server returns Wharf's send/receive counters (null: not asked yet). */
  ratesSupported: null,
  /** The queue list's filter and page, kept while the user visits a queue. */
  listState: { prefix: '', tokens: [undefined], page: 0 },
  notify,
  confirm,
  /** An error of any call: credentials refused → the login page; else shown. */
  failed(error) {
    if (AUTH_ERRORS.has(error?.code)) {
      context.authError = error;
      if (location.hash !== '#/login') location.hash = '#/login';
      else route();
      return;
    }
    notify(errorText(error), 'error');
  },
  showScope,
};

/** Calls per completed refresh, by page: what a page costs the server. */
const refreshes = [];
context.recordRefresh = (page, callsBefore, byOperationBefore) => {
  const byOperation = {};
  for (const [operation, count] of api.calls) {
    const delta = count - (byOperationBefore.get(operation) ?? 0);
    if (delta) byOperation[operation] = delta;
  }
  refreshes.push({ page, calls: api.total - callsBefore, byOperation });
  if (refreshes.length > 100) refreshes.shift();
};

// One refresh of a page: skipped while the page's last one runs or after the page was left;
// its requests are recorded (what a page costs); an error is shown unless the page was left.
// `work` returns false when it ended early (the page was left meanwhile).
context.refreshing = async (page, owner, work) => {
  if (owner.busy || owner.stopped) return;
  owner.busy = true;
  const callsBefore = api.total;
  const byOperationBefore = new Map(api.calls);
  try {
    if ((await work()) !== false) context.recordRefresh(page, callsBefore, byOperationBefore);
  } catch (error) {
    if (!owner.stopped) context.failed(error);
  } finally {
    owner.busy = false;
  }
};

// The browser test reads what a page costs from here (docs/console.md#what-a-page-costs).
window.wharfConsole = {
  calls: () => ({ total: api.total, byOperation: Object.fromEntries(api.calls) }),
  refreshes: () => refreshes.slice(),
};

let current = null;

function route() {
  current?.stop();
  const hash = location.hash || '#/';
  if (hash === '#/login') current = new LoginPage(context);
  else if (hash.startsWith('#/queue/')) current = new QueuePage(context, decodeURIComponent(hash.slice('#/queue/'.length)));
  else current = new QueueListPage(context);
  notify('');
  current.start();
  showScope();
}

function showScope(account) {
  if (account) context.account = account;
  const who = session.credentials ? `key ${session.credentials.accessKeyId}` : 'unsigned calls';
  const parts = [context.account ? `account ${context.account}` : null, `region ${session.region || 'default'}`, who];
  replace(document.getElementById('scope'), parts.filter(Boolean).join(' · '));
  document.getElementById('logout').hidden = !session.credentials;
}

function notify(message, kind = 'info') {
  const notice = document.getElementById('notice');
  notice.hidden = !message;
  notice.className = `notice ${kind}`;
  replace(notice, message ?? '');
}

/** A yes/no question in the page's own dialog (no window.confirm: it blocks every timer). */
function confirm(text) {
  const dialog = document.getElementById('confirm');
  replace(document.getElementById('confirm-text'), text);
  return new Promise((resolve) => {
    const ok = document.getElementById('confirm-ok');
    const cancel = document.getElementById('confirm-cancel');
    const done = (answer) => () => {
      ok.onclick = null;
      cancel.onclick = null;
      dialog.close();
      resolve(answer);
    };
    ok.onclick = done(true);
    cancel.onclick = done(false);
    dialog.showModal();
  });
}

const regionInput = document.getElementById('region');
regionInput.value = session.region;
regionInput.placeholder = 'default';
regionInput.addEventListener('change', () => {
  session.setRegion(regionInput.value.trim());
  context.listState = { prefix: context.listState.prefix, tokens: [undefined], page: 0 };
  route();
});
document.getElementById('logout').addEventListener('click', () => {
  session.signOut();
  location.hash = '#/login';
});

window.addEventListener('hashchange', route);
route();

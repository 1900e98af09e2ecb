// The SPA: three views, a login that aliases and identifies, a logout that resets, and one
// `page()` per route change, made after the view is drawn so it carries the new title.
// (`trackPageViews: 'history'` would record them by itself, but before the view's title is set.)
import { createAnalytics, createConsoleDestination } from '@tally/browser';
import { createCloudDestination } from '@tally/destination-cloud';
import { startRouter } from './router.js';

const tally = createAnalytics({
  writeKey: 'demo-write-key',
  destinations: [
    // Cloud mode: to the Tally proxy on this origin (the dev server forwards /v1/* to it), then Mixpanel.
    createCloudDestination({ apiHost: location.origin }),
    // Each message readably in the devtools console, and (example-only) in a panel on the page.
    createConsoleDestination(),
    window.tallyPageLog.destination(),
  ],
});
// Exposed for poking at from the devtools console.
window.tally = tally;

const views = {
  '/spa/': {
    title: 'Home',
    html: () => '<h1>Home</h1><p>The links above change the route without a reload; Tally records each one as a page view.</p>',
  },
  '/spa/pricing': {
    title: 'Pricing',
    html: () => '<h1>Pricing</h1><p>Pro: $12 a month.</p><button type="button" id="upgrade">Start trial</button>',
  },
  '/spa/account': {
    title: 'Account',
    html: () =>
      tally.user().id()
        ? '<h1>Account</h1><p>Logged in as <b id="who"></b>.</p>'
        : `<h1>Log in</h1><form id="login">
             <label>Email <input name="email" type="email" required value="grace@example.com"></label>
             <label>Name <input name="name" value="Grace Hopper"></label>
             <button type="submit">Log in</button></form>`,
  },
};
const notFound = { title: 'Not found', html: () => '<h1>Not found</h1>' };

function showIdentity() {
  const user = tally.user();
  document.getElementById('identity').textContent =
    `anonymousId: ${user.anonymousId()}\nuserId:      ${user.id()}\ntraits:      ${JSON.stringify(user.traits())}`;
}

function render(path) {
  const view = views[path] ?? notFound;
  document.title = `${view.title} · Tally SPA`;
  document.getElementById('view').innerHTML = view.html();
  const who = document.getElementById('who');
  if (who) who.textContent = tally.user().id();
  showIdentity();
}

const router = startRouter((path) => {
  render(path);
  // Tally sets the referrer to the previous URL itself: the browser keeps the first one for the whole app.
  tally.page(document.title.split(' · ')[0]);
});

document.addEventListener('click', (event) => {
  if (event.target instanceof Element && event.target.id === 'upgrade') tally.track('Trial Started', { plan: 'pro', price: 12 });
});

document.addEventListener('submit', (event) => {
  if (!(event.target instanceof HTMLFormElement) || event.target.id !== 'login') return;
  event.preventDefault();
  const data = new FormData(event.target);
  const email = String(data.get('email')).trim().toLowerCase();
  // Link what this browser did while anonymous to the account, then describe the user.
  tally.alias(email);
  tally.identify(email, { email, name: String(data.get('name')) });
  render(location.pathname);
});

document.getElementById('logout').addEventListener('click', () => {
  tally.reset();
  if (location.pathname === '/spa/') render('/spa/');
  else router.navigate('/spa/');
});

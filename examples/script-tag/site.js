// The example site's own behaviour: each user action becomes one Tally call.
/* global tally */

function showIdentity() {
  var user = tally.user();
  document.getElementById('identity').textContent =
    'anonymousId: ' + user.anonymousId() + '\nuserId:      ' + user.id() + '\ntraits:      ' + JSON.stringify(user.traits());
}

tally.ready(showIdentity);

document.getElementById('logout').addEventListener('click', function () {
  tally.reset();
  tally.ready(showIdentity);
});

var buy = document.getElementById('buy');
if (buy) {
  buy.addEventListener('click', function () {
    var price = Number(buy.dataset.price);
    tally.track('Order Completed', {
      order_id: 'order-' + Date.now(),
      revenue: price,
      currency: 'USD',
      products: [{ product_id: buy.dataset.productId, name: buy.dataset.name, price: price, quantity: 1 }],
    });
    document.getElementById('bought').hidden = false;
  });
}

var login = document.getElementById('login');
if (login) {
  login.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(login);
    var email = String(data.get('email')).trim().toLowerCase();
    tally.identify(email, { email: email, name: String(data.get('name')) });
    var welcome = document.getElementById('welcome');
    welcome.textContent = 'Logged in as ' + email + '. Your id now follows you to every page.';
    welcome.hidden = false;
    tally.ready(showIdentity);
  });
}

// Example-only: a Tally destination that prints every message Tally delivers into a panel on the
// page (and keeps them in `tallyPageLog.messages` for the console), so you can watch it work.
// A real site adds the Mixpanel or cloud destination instead.
(function () {
  var messages = [];
  var pending = [];

  function label(message) {
    switch (message.type) {
      case 'track':
        return message.event;
      case 'page':
      case 'screen':
        return (message.name || '') + ' ' + ((message.context && message.context.page && message.context.page.path) || '');
      case 'identify':
        return message.userId || message.anonymousId;
      case 'alias':
        return message.previousId + ' → ' + message.userId;
      case 'group':
        return message.groupId;
      default:
        return '';
    }
  }

  function render(message) {
    var list = document.getElementById('tally-log-list');
    if (!list) {
      pending.push(message);
      return;
    }
    var item = document.createElement('details');
    var summary = document.createElement('summary');
    var kind = document.createElement('b');
    kind.textContent = message.type;
    summary.append(kind, ' ', label(message));
    var body = document.createElement('pre');
    body.textContent = JSON.stringify(message, null, 2);
    item.append(summary, body);
    list.prepend(item);
  }

  function mountPanel() {
    var panel = document.createElement('aside');
    panel.id = 'tally-log';
    panel.setAttribute('aria-label', 'What Tally sent');
    var heading = document.createElement('h2');
    heading.textContent = 'Tally messages (newest first)';
    var list = document.createElement('div');
    list.id = 'tally-log-list';
    panel.append(heading, list);
    document.body.append(panel);
    pending.splice(0).forEach(render);
  }

  function show(message) {
    messages.push(message);
    render(message);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountPanel);
  else mountPanel();

  window.tallyPageLog = {
    messages: messages,
    /** A destination object (the shape `tally.addDestination` takes) that shows each message. */
    destination: function () {
      return {
        name: 'Page log',
        load: function () {},
        isLoaded: function () {
          return true;
        },
        track: show,
        page: show,
        screen: show,
        identify: show,
        alias: show,
        group: show,
        reset: function () {
          show({ type: 'reset' });
        },
      };
    },
  };
})();

/**
 * The live page at `/` and `/_emulator/ui`: events, profiles and rejections, refreshed every
 * second from the JSON inspect API. Self-contained (no external assets); every value is written
 * with textContent, so hostile event names or properties render as text, never as markup.
 */
export const UI_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mixpanel emulator</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem 2rem; color: #1d1d1f; }
  h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 1.5rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; border-bottom: 1px solid #ddd; padding: .25rem .5rem; vertical-align: top; }
  td.props { font-family: ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; word-break: break-all; max-width: 50rem; }
  #stats { color: #555; } .empty { color: #888; font-style: italic; }
  button { margin-left: 1rem; }
</style>
</head>
<body>
<h1>Mixpanel emulator <button id="reset" type="button">Reset</button></h1>
<p id="stats">Loading…</p>
<label>Event filter <input id="filter" placeholder="event name"></label>
<h2>Events</h2>
<table id="events"><thead><tr><th>#</th><th>time</th><th>event</th><th>distinct_id</th><th>region</th><th>via</th><th>properties</th></tr></thead><tbody></tbody></table>
<h2>Profiles</h2>
<table id="profiles"><thead><tr><th>distinct_id</th><th>updates</th><th>properties</th></tr></thead><tbody></tbody></table>
<h2>Groups</h2>
<table id="groups"><thead><tr><th>group</th><th>properties</th></tr></thead><tbody></tbody></table>
<h2>Rejections</h2>
<table id="rejections"><thead><tr><th>#</th><th>endpoint</th><th>field</th><th>reason</th></tr></thead><tbody></tbody></table>
<script>
(function () {
  var base = location.pathname.replace(/\\/_emulator\\/ui\\/?$/, '').replace(/\\/$/, '');
  function get(path) { return fetch(base + path, { cache: 'no-store' }).then(function (r) { return r.json(); }); }
  function fill(id, rows, columns) {
    var body = document.querySelector('#' + id + ' tbody');
    body.textContent = '';
    if (rows.length === 0) {
      var tr = body.insertRow(); var td = tr.insertCell(); td.colSpan = columns; td.className = 'empty'; td.textContent = 'none yet';
      return;
    }
    rows.forEach(function (cells) {
      var tr = body.insertRow();
      tr.className = 'row';
      cells.forEach(function (value, i) {
        var td = tr.insertCell();
        if (i === cells.length - 1 && typeof value !== 'string') { td.className = 'props'; value = JSON.stringify(value, null, 1); }
        td.textContent = String(value);
      });
    });
  }
  function refresh() {
    var filter = document.getElementById('filter').value;
    var q = '/_emulator/events?limit=200' + (filter ? '&event=' + encodeURIComponent(filter) : '');
    Promise.all([get(q), get('/_emulator/profiles?limit=200'), get('/_emulator/groups?limit=200'), get('/_emulator/rejections?limit=200'), get('/_emulator/stats')])
      .then(function (r) {
        fill('events', r[0].events.map(function (e) {
          return [e.seq, new Date(e.time * 1000).toISOString(), e.event, e.distinctId, e.region, e.endpoint, e.properties];
        }), 7);
        fill('profiles', r[1].profiles.map(function (p) { return [p.distinctId, p.updates, p.properties]; }), 3);
        fill('groups', r[2].groups.map(function (g) { return [g.groupKey + ' = ' + g.groupId, g.properties]; }), 2);
        fill('rejections', r[3].rejections.map(function (x) { return [x.seq, '/' + x.endpoint, x.field, x.reason]; }), 4);
        var s = r[4];
        document.getElementById('stats').textContent = s.events.stored + ' events stored (' + s.events.evicted + ' evicted, ' +
          s.events.deduplicated + ' duplicates), ' + s.profiles + ' profiles, ' + s.groups + ' groups, ' + s.rejections.stored + ' rejections';
      })
      .catch(function (err) { document.getElementById('stats').textContent = 'Emulator unreachable: ' + err; });
  }
  document.getElementById('reset').addEventListener('click', function () {
    fetch(base + '/_emulator/reset', { method: 'POST' }).then(refresh);
  });
  document.getElementById('filter').addEventListener('input', refresh);
  refresh();
  setInterval(refresh, 1000);
})();
</script>
</body>
</html>
`;

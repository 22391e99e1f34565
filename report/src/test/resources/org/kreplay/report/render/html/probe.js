// Injected by HtmlReportBrowserTest at the top of a copy of a report: records what happened in the
// page as attributes of <html>, which --dump-dom then shows. Runs before the page's own script.
(function () {
  'use strict';
  var root = document.documentElement;
  var errors = [];
  var alerts = [];
  function record() {
    root.setAttribute('data-probe-errors', JSON.stringify(errors));
    root.setAttribute('data-probe-alerts', JSON.stringify(alerts));
  }
  window.addEventListener('error', function (e) { errors.push(String(e.message || e.type)); record(); }, true);
  window.addEventListener('unhandledrejection', function (e) { errors.push('unhandled rejection: ' + e.reason); record(); });
  document.addEventListener('securitypolicyviolation', function (e) {
    errors.push('CSP blocked ' + e.violatedDirective); record();
  });
  var consoleError = console.error;
  console.error = function () {
    errors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); record();
    return consoleError.apply(console, arguments);
  };
  window.alert = window.confirm = window.prompt = function (m) { alerts.push(String(m)); record(); };
  record();

  function charts() {
    var drawn = 0;
    document.querySelectorAll('figure.chart svg').forEach(function (svg) {
      var box = svg.getBoundingClientRect();
      var paths = Array.prototype.filter.call(svg.querySelectorAll('path'), function (p) {
        var b = p.getBoundingClientRect();
        return b.width > 0 || b.height > 0;
      });
      if (box.width > 100 && box.height > 50 && paths.length > 0) drawn++;
    });
    return String(drawn);
  }

  // The first of the labels the table has (a comparison's tables say "count before").
  function column(table, label) {
    var labels = [].concat(label);
    var cells = table.tHead.rows[0].cells;
    for (var j = 0; j < labels.length; j++) {
      for (var i = 0; i < cells.length; i++) if (cells[i].textContent === labels[j]) return cells[i];
    }
    throw new Error('no column ' + labels.join(' or '));
  }

  function values(table, th) {
    var rows = table.classList.contains('grouped')
        ? Array.prototype.map.call(table.tBodies, function (b) { return b.rows[0]; })
        : Array.prototype.slice.call(table.tBodies[0].rows);
    return rows.map(function (r) { return Number(r.cells[th.cellIndex].getAttribute('data-v')); });
  }

  function sorted(list, ascending) {
    for (var i = 1; i < list.length; i++) {
      if (ascending ? list[i - 1] > list[i] : list[i - 1] < list[i]) return false;
    }
    return true;
  }

  // Clicking a numeric header sorts by it, ascending then descending.
  function sorting() {
    var table = document.querySelector('#latency table.sortable');
    if (!table) return 'no table';
    var th = column(table, ['count', 'count before']);
    th.click();
    var up = sorted(values(table, th), true) && th.getAttribute('aria-sort') === 'ascending';
    th.click();
    var down = sorted(values(table, th), false) && th.getAttribute('aria-sort') === 'descending';
    return (up ? 'ascending' : 'NOT ascending') + ',' + (down ? 'descending' : 'NOT descending');
  }

  // A finding's detail row is hidden until its button is clicked; sorting keeps it with its row.
  function expanding() {
    var table = document.getElementById('findings-table');
    if (!table) return 'no table';
    var body = table.tBodies[0];
    var detail = body.querySelector('tr.detail');
    var before = detail.getBoundingClientRect().height;
    body.querySelector('button.expand').click();
    var after = detail.getBoundingClientRect().height;
    var expanded = body.querySelector('button.expand').getAttribute('aria-expanded');
    var th = column(table, ['count', 'before']);
    th.click();
    var grouped = Array.prototype.every.call(table.tBodies, function (b) {
      return b.rows.length === 2 && b.rows[1].classList.contains('detail');
    });
    var sortedOk = sorted(values(table, th), true);
    return [before === 0 ? 'hidden' : 'VISIBLE before click',
            after > 0 && expanded === 'true' ? 'shown' : 'NOT shown',
            grouped && sortedOk ? 'sorted in groups' : 'NOT sorted in groups'].join(',');
  }

  window.addEventListener('load', function () {
    var results = { charts: charts, sort: sorting, expand: expanding };
    Object.keys(results).forEach(function (k) {
      try {
        root.setAttribute('data-probe-' + k, results[k]());
      } catch (e) {
        errors.push('probe ' + k + ': ' + e);
      }
    });
    record();
  });
})();

// plansite's dashboard table: sorting by any column and filtering by
// status, owner, tag and text, in the browser.
//
// Progressive enhancement: the page holds the whole table in its default
// order (red first, then amber, then the rest, each by the nearest
// milestone), and the filter form is `hidden`. This script shows the form
// and turns each column header into a button; without it nothing is lost
// but the sorting and filtering. No framework, no request.
//
// What it reads of the markup (themes that keep these keep the script):
// - `table[data-filters]`: the table, naming its form's id;
// - `th[data-sort]` in the head: `status`, `number` or `date` (else text);
// - the first cell's class is the row's status (`red`, `amber`, `green`,
//   `unrated`), the third cell the owner, `data-tags` the positions of the
//   row's tags in the form's tag list;
// - `tr.group` rows head their `tbody` and stay there.
(function () {
  "use strict";

  var RANK = { red: 0, amber: 1, green: 2, unrated: 3 };
  var ORDER = ["ascending", "descending", "none"];

  function text(cell) {
    return cell ? cell.textContent.trim() : "";
  }

  // The value a row sorts by in column `i`; null sorts last either way.
  function sortKey(row, i, kind) {
    var cell = row.cells[i];
    var t = text(cell);
    if (kind === "status") {
      var rank = cell ? RANK[cell.className] : undefined;
      return rank === undefined ? null : rank;
    }
    if (kind === "number") {
      var n = t.replace(/,/g, "").match(/-?\d+(\.\d+)?/);
      return n ? parseFloat(n[0]) : null;
    }
    if (kind === "date") {
      var d = t.match(/\d{4}-\d{2}-\d{2}/);
      return d ? d[0] : null;
    }
    return t ? t.toLowerCase() : null;
  }

  function compare(a, b) {
    if (typeof a === "string") return a.localeCompare(b);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function setUp(table) {
    var form = document.getElementById(table.getAttribute("data-filters"));
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var bodies = Array.prototype.slice.call(table.tBodies);
    var rows = [];
    bodies.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        if (!row.classList.contains("group")) {
          row.plansiteIndex = rows.length;
          rows.push(row);
        }
      });
    });

    function sortBy(column, direction) {
      var kind = heads[column].getAttribute("data-sort") || "text";
      bodies.forEach(function (body) {
        var own = rows.filter(function (r) {
          return r.parentNode === body;
        });
        var keyed = own.map(function (row) {
          return { row: row, key: direction === "none" ? null : sortKey(row, column, kind) };
        });
        keyed.sort(function (a, b) {
          if (direction !== "none") {
            if (a.key === null && b.key !== null) return 1;
            if (b.key === null && a.key !== null) return -1;
            if (a.key !== null && b.key !== null) {
              var c = compare(a.key, b.key);
              if (c !== 0) return direction === "descending" ? -c : c;
            }
          }
          return a.row.plansiteIndex - b.row.plansiteIndex;
        });
        keyed.forEach(function (k) {
          body.appendChild(k.row);
        });
      });
    }

    Array.prototype.forEach.call(heads, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var now = th.getAttribute("aria-sort") || "none";
        var next = ORDER[(ORDER.indexOf(now) + 1) % ORDER.length];
        Array.prototype.forEach.call(heads, function (other) {
          other.removeAttribute("aria-sort");
        });
        if (next !== "none") th.setAttribute("aria-sort", next);
        sortBy(column, next);
      });
    });

    if (!form) return;
    var tagNames = form.elements.tag
      ? Array.prototype.map.call(form.elements.tag.options, function (o) {
          return o.textContent.toLowerCase();
        })
      : [];

    function tagsOf(row) {
      var keys = (row.getAttribute("data-tags") || "").split(" ");
      return keys.filter(function (k) {
        return k !== "";
      });
    }

    function filter() {
      var status = form.elements.status ? form.elements.status.value : "";
      var owner = form.elements.owner ? form.elements.owner.value : "";
      var tag = form.elements.tag ? form.elements.tag.value : "";
      var words = form.elements.text ? form.elements.text.value.trim().toLowerCase() : "";
      var shown = {};
      var total = {};
      rows.forEach(function (row) {
        var tags = tagsOf(row);
        // The first option of the tag list is "All": tag k is option k + 1.
        var haystack = (
          row.textContent +
          " " +
          tags
            .map(function (k) {
              return tagNames[Number(k) + 1] || "";
            })
            .join(" ")
        ).toLowerCase();
        var keep =
          (!status || (row.cells[0] && row.cells[0].className === status)) &&
          (!owner || text(row.cells[2]) === owner) &&
          (!tag || tags.indexOf(tag) !== -1) &&
          (!words || haystack.indexOf(words) !== -1);
        row.hidden = !keep;
        var link = row.querySelector("a");
        var id = link ? link.getAttribute("href") : String(row.plansiteIndex);
        total[id] = true;
        if (keep) shown[id] = true;
      });
      bodies.forEach(function (body) {
        var any = Array.prototype.some.call(body.rows, function (r) {
          return !r.classList.contains("group") && !r.hidden;
        });
        body.hidden = !any;
      });
      var out = form.elements.shown;
      if (out) {
        var n = Object.keys(shown).length;
        var of = Object.keys(total).length;
        out.value = n === of ? "" : "Showing " + n + " of " + of + " plans";
      }
    }

    form.addEventListener("input", filter);
    form.addEventListener("change", filter);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    filter();
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-filters]"), setUp);
})();

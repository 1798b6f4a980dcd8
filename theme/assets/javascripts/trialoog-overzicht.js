/* Trialoog: the overview's own script (no library, no request to another host).
   Sorts every table of class tl-sortable by any column (a button in each column heading; a cell's
   data-sort value, else its text) and filters the rows of the tables and the signal lines by the
   search field and the coach, school, programme and signal choices. Without JavaScript the page
   shows every student, most urgent first, and the links per coach and per school still filter. */
(function () {
  "use strict";
  var collator = new Intl.Collator("nl", { numeric: true, sensitivity: "base" });

  function sortValue(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function sortBy(table, column, button) {
    var heading = button.parentNode;
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var order = collator.compare(sortValue(a, column), sortValue(b, column));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function makeSortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tl-sort";
      if (heading.querySelector("a")) {
        // A heading with a link (a milestone's page) keeps the link; the button is the arrow beside it.
        button.setAttribute("aria-label", "Sorteer op " + heading.textContent.trim());
        heading.appendChild(button);
      } else {
        while (heading.firstChild) button.appendChild(heading.firstChild);
        button.title = "Sorteer op deze kolom";
        heading.appendChild(button);
      }
      button.addEventListener("click", function () { sortBy(table, column, button); });
    });
  }

  function filterRows(tools) {
    var wanted = {};
    Array.prototype.forEach.call(tools.querySelectorAll("[data-filter]"), function (control) {
      wanted[control.getAttribute("data-filter")] = control.value.trim().toLowerCase();
    });
    var shown = {};
    Array.prototype.forEach.call(document.querySelectorAll("[data-student]"), function (item) {
      var visible = Object.keys(wanted).every(function (key) {
        var value = wanted[key];
        if (!value) return true;
        var have = (item.getAttribute("data-" + key) || "").toLowerCase();
        if (key === "search") return have.indexOf(value) !== -1;
        if (key === "signals") return value === "*" ? have !== "" : have.split(" ").indexOf(value) !== -1;
        return have === value;
      });
      item.hidden = !visible;
      if (visible) shown[item.getAttribute("data-student")] = true;
    });
    var count = Object.keys(shown).length;
    tools.querySelector("[data-tl-count]").textContent = count + (count === 1 ? " student" : " studenten");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.tl-sortable"), makeSortable);
    var tools = document.querySelector("[data-tl-tools]");
    if (!tools) return;
    tools.hidden = false;
    tools.addEventListener("input", function () { filterRows(tools); });
    tools.addEventListener("change", function () { filterRows(tools); });
    tools.addEventListener("submit", function (event) { event.preventDefault(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

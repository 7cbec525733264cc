// Chancery's site search: loads the site's search-index.json and filters it in the browser as you
// type. No external service, no cookies. The page works without it: the search page then shows
// links to the contents and the indexes, and the header's search box still leads here.
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var fallback = document.getElementById("search-fallback");
  if (!form || !input || !status || !list || !window.fetch) return;

  var LIMIT = 50;
  var records = null;

  // Lower case, without accents, with typographic quotes and dashes made plain: "Türkiye’s" → "turkiye's".
  function fold(text) {
    var plain = text.normalize ? text.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : text;
    return plain.replace(/[\u2018\u2019\u02bc]/g, "'").replace(/[\u2010-\u2015]/g, "-").toLowerCase();
  }

  function isWordCharacter(character) {
    return /[0-9a-z\u00c0-\uffff]/.test(character);
  }

  // 2 when `term` starts a word of `text`, 1 when it is inside one, 0 when it is not there.
  function match(text, term) {
    var best = 0;
    var at = text.indexOf(term);
    while (at !== -1) {
      if (at === 0 || !isWordCharacter(text.charAt(at - 1))) return 2;
      best = 1;
      at = text.indexOf(term, at + 1);
    }
    return best;
  }

  function prepare(record, order) {
    return {
      record: record,
      order: order,
      title: fold(record.title),
      names: fold((record.names || []).join("\n")),
      rest: fold([record.kind, record.about || "", record.summary || ""].join("\n"))
    };
  }

  // Every term must appear somewhere; titles count most, then names and aliases, then the rest.
  function score(entry, terms, phrase) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      var inTitle = match(entry.title, term);
      var inNames = match(entry.names, term);
      var inRest = match(entry.rest, term);
      if (!inTitle && !inNames && !inRest) return 0;
      total += [0, 4, 8][inTitle] + [0, 3, 6][inNames] + [0, 1, 2][inRest];
    }
    if (entry.title === phrase || ("\n" + entry.names + "\n").indexOf("\n" + phrase + "\n") !== -1) total += 20;
    else if (entry.title.indexOf(phrase) === 0) total += 10;
    return total;
  }

  function search(query) {
    var phrase = fold(query.trim()).replace(/\s+/g, " ");
    var terms = phrase.split(" ").filter(function (term) { return term.length > 0; });
    if (!terms.length) return [];
    var found = [];
    for (var i = 0; i < records.length; i++) {
      var points = score(records[i], terms, phrase);
      if (points > 0) found.push({ entry: records[i], points: points });
    }
    found.sort(function (a, b) { return b.points - a.points || a.entry.order - b.entry.order; });
    return found.map(function (result) { return result.entry.record; });
  }

  function show(query) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var trimmed = query.trim();
    if (!trimmed) {
      status.textContent = "";
      return;
    }
    var results = search(trimmed);
    var quoted = "\u201c" + trimmed + "\u201d";
    if (!results.length) {
      status.textContent = "No results for " + quoted + ".";
    } else if (results.length === 1) {
      status.textContent = "1 result for " + quoted + ".";
    } else if (results.length > LIMIT) {
      status.textContent = results.length + " results for " + quoted + "; the first " + LIMIT + " are shown.";
    } else {
      status.textContent = results.length + " results for " + quoted + ".";
    }
    results.slice(0, LIMIT).forEach(function (record) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = record.url;
      link.textContent = record.title;
      item.appendChild(link);
      var about = document.createElement("span");
      about.className = "muted";
      about.textContent = record.about ? record.kind + " \u00b7 " + record.about : record.kind;
      item.appendChild(about);
      if (record.summary) {
        var summary = document.createElement("span");
        summary.className = "summary";
        summary.textContent = record.summary;
        item.appendChild(summary);
      }
      list.appendChild(item);
    });
  }

  // Keeps ?q= in the address, so a search can be bookmarked, shared and returned to with Back.
  function remember(query) {
    var url = window.location.pathname + (query.trim() ? "?q=" + encodeURIComponent(query.trim()) : "");
    if (window.history && window.history.replaceState) window.history.replaceState(null, "", url);
  }

  function initialQuery() {
    var found = /[?&]q=([^&]*)/.exec(window.location.search);
    if (!found) return "";
    try {
      return decodeURIComponent(found[1].replace(/\+/g, " "));
    } catch (error) {
      return "";
    }
  }

  form.hidden = false;
  if (fallback) fallback.hidden = true;
  input.value = initialQuery();
  status.textContent = "Loading the search index\u2026";

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (records) {
      show(input.value);
      remember(input.value);
    }
  });
  input.addEventListener("input", function () {
    if (records) {
      show(input.value);
      remember(input.value);
    }
  });

  fetch(form.getAttribute("data-index"))
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (data) {
      records = data.map(prepare);
      status.textContent = "";
      show(input.value);
    })
    .catch(function () {
      status.textContent = "The search index could not be loaded.";
      if (fallback) fallback.hidden = false;
    });
})();

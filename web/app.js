// Progressive enhancement only: every page works without this file.
// On the resident page, a search swaps in the results section (the same HTML the
// server renders for a full page) instead of reloading, and folds the city choice as
// that page would; the city applies at once, and ふりがな reloads the page with readings
// everywhere. On slips, the print button appears.
(function () {
  "use strict";
  var form = document.getElementById("ask");
  if (form && window.fetch && window.URLSearchParams) {
    var load = function (push) {
      var params = new URLSearchParams(new FormData(form));
      if (!params.get("q")) { return false; }
      var url = "/?" + params.toString();
      params.set("part", "results");
      fetch("/?" + params.toString(), { headers: { Accept: "text/html" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
        .then(function (html) {
          var got = document.createElement("template");
          got.innerHTML = html;
          ["crisis-slot", "results"].forEach(function (id) {
            var fresh = got.content.getElementById(id), old = document.getElementById(id);
            if (fresh && old) { old.replaceWith(fresh); }
          });
          if (push) { history.pushState(null, "", url); }
          // As on a page rendered with an answer: the city choice folds, so the first
          // window sits right under the box on a phone.
          if (push && choice) { choice.open = false; }
          var title = document.querySelector(".crisis h2") || document.getElementById("results-title");
          if (title) { title.setAttribute("tabindex", "-1"); }
          if (title) { title.focus(); }
        })
        .catch(function () { form.submit(); });
      return true;
    };
    var choice = form.querySelector("details.city-choice");
    // The folded city choice names the city chosen.
    form.addEventListener("change", function (e) {
      var chosen = choice && choice.querySelector(".chosen");
      if (chosen && e.target.name === "city") { chosen.textContent = e.target.parentNode.textContent.trim(); }
    });
    form.addEventListener("submit", function (e) { if (load(true)) { e.preventDefault(); } });
    // ふりがな applies at once, to the whole page (heading, labels, header and footer,
    // not only the answer), on the empty page too: the server renders it again. It stays
    // in the address, so a reload or a shared link keeps it.
    var furigana = document.getElementById("furigana");
    if (furigana) {
      furigana.addEventListener("change", function () {
        var params = new URLSearchParams(new FormData(form));
        if (!params.get("q")) { params.delete("q"); }
        location.replace("/?" + params.toString());
      });
    }
    // Example questions follow the city and ふりがな chosen on the page, not the ones the
    // page was rendered with.
    document.addEventListener("click", function (e) {
      var chip = e.target.closest && e.target.closest("a.chip");
      if (!chip || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
      var q = new URL(chip.href).searchParams.get("q");
      if (!q) { return; }
      form.elements.q.value = q;
      if (load(true)) { e.preventDefault(); }
    });
    window.addEventListener("popstate", function () { location.reload(); });
  }
  fitMemo(document.querySelector("body.slip .memo-lines"));
  var print = document.querySelector("button.print");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }

  // On paper the resident's memo takes what is left of the last page. Only the browser
  // knows where its pages end; it says so when it lays the slip out for print (the
  // print media query changes before the pages are cut, and positions then run on from
  // page to page). Without script the memo keeps its CSS height.
  function fitMemo(memo) {
    if (!memo || !window.matchMedia) { return; }
    var printing = window.matchMedia("print");
    var probe = document.createElement("div");
    probe.className = "page-probe";
    document.body.appendChild(probe);
    var fit = function () {
      memo.style.height = "";
      if (!printing.matches) { return; }
      var page = probe.getBoundingClientRect().height;
      var box = memo.getBoundingClientRect();
      var top = box.top - document.documentElement.getBoundingClientRect().top;
      // A few pixels short of the page's end, so rounding never starts an empty page.
      var left = page - (top % page) - 4;
      if (left > box.height) { memo.style.height = left + "px"; }
    };
    if (printing.addEventListener) { printing.addEventListener("change", fit); } else { printing.addListener(fit); }
  }
})();

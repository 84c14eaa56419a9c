// Progressive enhancement only: every page works without this file.
// On the resident page, a search swaps in the results section (the same HTML the
// server renders for a full page) instead of reloading; ふりがな and the city apply
// at once. On slips, the print button appears.
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
          var title = document.querySelector(".crisis h2") || document.getElementById("results-title");
          if (title) { title.setAttribute("tabindex", "-1"); }
          if (title) { title.focus(); }
        })
        .catch(function () { form.submit(); });
      return true;
    };
    form.addEventListener("submit", function (e) { if (load(true)) { e.preventDefault(); } });
    // ふりがな applies at once and stays in the address, so a reload or a shared link keeps it.
    var furigana = document.getElementById("furigana");
    if (furigana) {
      furigana.addEventListener("change", function () {
        if (!load(false)) { return; }
        history.replaceState(null, "", "/?" + new URLSearchParams(new FormData(form)).toString());
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
  var print = document.querySelector("button.print");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();

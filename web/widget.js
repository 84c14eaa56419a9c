// Tsunagu search box for a city's own website:
//   <script src="https://tsunagu.example/widget.js" data-city="sagamihara" defer></script>
// Mounts a search box where the script tag is and asks /api/answer on the server the
// script came from (the city's origin must be in TSUNAGU_CORS_ORIGINS). It shows the
// answer as the API gives it, crisis lines first, and links to the full page.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var origin = new URL(script.src, location.href).origin;
  var city = script.getAttribute("data-city") || "";
  var el = function (tag, text, attrs) {
    var n = document.createElement(tag);
    if (text) { n.textContent = text; }
    for (var k in attrs || {}) { n.setAttribute(k, attrs[k]); }
    return n;
  };
  var tel = function (c) {
    if (!c.phone) { return null; }
    return c.tel ? el("a", c.phone, { href: c.tel }) : el("span", c.phone);
  };
  var contactLine = function (c) {
    var p = el("p", c.name + " ");
    var a = tel(c); if (a) { p.appendChild(a); }
    if (c.hours) { p.appendChild(document.createTextNode(" " + c.hours)); }
    if (c.as_of) { p.appendChild(el("small", " ※" + c.as_of)); }
    return p;
  };
  var box = el("div", null, { class: "tsunagu-widget" });
  var form = el("form", null, { role: "search" });
  var id = "tsunagu-q-" + Math.random().toString(36).slice(2);
  form.appendChild(el("label", "どんなことでお困りですか", { for: id }));
  var input = el("input", null, { id: id, type: "search", maxlength: "500" });
  form.appendChild(input);
  form.appendChild(el("button", "相談先をさがす", { type: "submit" }));
  var out = el("div", null, { "aria-live": "polite" });
  box.appendChild(form); box.appendChild(out);
  script.parentNode.insertBefore(box, script.nextSibling);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value.trim();
    if (!q) { return; }
    // The compact form: each contact once in a.contacts, referenced by position.
    var url = origin + "/api/answer?form=compact&q=" + encodeURIComponent(q) + (city ? "&city=" + city : "");
    fetch(url).then(function (r) { return r.json(); }).then(function (a) {
      var C = function (i) { return a.contacts[i]; };
      out.textContent = "";
      if (a.emergency) {
        var s = el("section", null, { role: "alert" });
        s.appendChild(el("strong", a.emergency.message));
        a.emergency.contacts.map(C).forEach(function (c) { s.appendChild(contactLine(c)); });
        out.appendChild(s);
      } else if (a.support) {
        // Despair with no clear danger: the calm block, with the lines that listen.
        var sp = el("section", null, { class: "tsunagu-support", "aria-label": a.support.title });
        sp.appendChild(el("strong", a.support.title));
        sp.appendChild(el("p", a.support.message));
        a.support.contacts.map(C).forEach(function (c) { sp.appendChild(contactLine(c)); });
        out.appendChild(sp);
      }
      (a.results || []).forEach(function (r) {
        var card = el("article");
        var h = el("h3"); h.appendChild(el("a", r.title, { href: origin + "/resources/" + r.id + (city ? "?city=" + city : "") }));
        card.appendChild(h);
        var own = r.contacts.map(C).filter(function (c) { return c.phone; });
        own.forEach(function (c) { card.appendChild(contactLine(c)); });
        // No number of its own yet: the answer's first route step says whom to call.
        var first = r.route && r.route[0];
        if (!own.length && first) {
          card.appendChild(el("p", first.text));
          if (first.contact !== null && first.contact !== undefined) { card.appendChild(contactLine(C(first.contact))); }
        }
        out.appendChild(card);
      });
      if (a.error) { out.appendChild(el("p", a.error.message)); }
    }).catch(function () { out.textContent = "読み込みに失敗しました。もう一度お試しください。"; });
  });
})();

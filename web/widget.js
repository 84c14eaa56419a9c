// Tsunagu search box for a city's own website:
//   <script src="https://tsunagu.example/widget.js" data-city="sagamihara" defer></script>
// Mounts a search box where the script tag is and asks /api/answer on the server the
// script came from (the city's origin must be in TSUNAGU_CORS_ORIGINS). It shows the
// answer as the API gives it, the crisis (or support) block first, and links to the
// full page.
//
// It lives in an open shadow root with styles of its own, so the city's stylesheet can
// neither break it nor be touched by it. The styles are a constructed stylesheet, which
// a strict Content-Security-Policy on the city's page (no inline <style>) still allows.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var origin = new URL(script.src, location.href).origin;
  var city = script.getAttribute("data-city") || "";
  // The pages' wording (src/messages.rs, module web), repeated here for the city's page.
  var T = {
    ASK: "どんなことでお困りですか",
    SEARCH: "相談先をさがす",
    CRISIS: "今すぐ話せる相談先",
    ABOVE: "電話番号は上に載せています。",
    FAILED: "読み込みに失敗しました。もう一度お試しください。"
  };
  // Colours and sizes as in style.css. `all: initial` on the host (important, so it
  // wins over the city's rules for that element) starts from the reader's own font size.
  var CSS = [
    ":host { all: initial !important; display: block !important; }",
    ".tsunagu-w { font: 1.125em/1.7 \"Noto Sans CJK JP\", \"Hiragino Sans\", \"Yu Gothic\", sans-serif;",
    "  color: #111; background: #fff; text-align: start; }",
    ".tsunagu-w *, .tsunagu-w *::before, .tsunagu-w *::after { box-sizing: border-box; }",
    ".tsunagu-w a { color: #0b4f8a; }",
    ".tsunagu-w a:focus-visible, .tsunagu-w button:focus-visible, .tsunagu-w input:focus-visible {",
    "  outline: 3px solid #e07b00; outline-offset: 2px; }",
    ".tsunagu-w label { display: block; font-weight: bold; margin: 0 0 .3em; }",
    ".tsunagu-w input { display: block; width: 100%; font: inherit; color: inherit; background: #fff;",
    "  padding: .45em .5em; border: 2px solid #8a8a8a; border-radius: 6px; min-height: 2.6em; }",
    ".tsunagu-w button { font: inherit; font-weight: bold; background: #0b4f8a; color: #fff; border: 0;",
    "  border-radius: 6px; padding: .45em 1.1em; min-height: 2.6em; margin: .5em 0 0; cursor: pointer; }",
    ".tsunagu-w h3 { font-size: 1.1em; line-height: 1.45; margin: 0 0 .3em; }",
    ".tsunagu-w p, .tsunagu-w ul { margin: .3em 0; }",
    ".tsunagu-w ul { padding-left: 1.2em; }",
    ".tsunagu-w .tel { font-weight: bold; font-size: 1.1em; white-space: nowrap; }",
    ".tsunagu-w .box { border-radius: 8px; padding: .7em .9em; margin: .8em 0; }",
    ".tsunagu-w .tsunagu-crisis { background: #fff1f0; border: 3px solid #9b1111; }",
    ".tsunagu-w .tsunagu-crisis h3 { color: #9b1111; }",
    ".tsunagu-w .tsunagu-support { background: #f3f6f9; border: 2px solid #0b4f8a; }",
    ".tsunagu-w .tsunagu-support h3 { color: #0b4f8a; }",
    ".tsunagu-w article { border: 2px solid #8a8a8a; border-radius: 8px; padding: .6em .8em; margin: .8em 0; }",
    ".tsunagu-w article ul { list-style: none; padding: 0; }",
    ".tsunagu-w .as-of { color: #6b3d00; font-weight: bold; font-size: .9em; }"
  ].join("\n");

  var el = function (tag, text, attrs) {
    var n = document.createElement(tag);
    if (text) { n.textContent = text; }
    for (var k in attrs || {}) { n.setAttribute(k, attrs[k]); }
    return n;
  };

  // The host element keeps the class pages and tests find it by; all else is inside.
  function mount() {
    var host = el("div", null, { class: "tsunagu-widget" });
    script.parentNode.insertBefore(host, script.nextSibling);
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    if (root !== host && root.adoptedStyleSheets && window.CSSStyleSheet) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(el("style", CSS));
    }
    var box = el("div", null, { class: "tsunagu-w" });
    root.appendChild(box);
    return box;
  }

  function tel(c) {
    return c.tel ? el("a", c.phone, { href: c.tel, class: "tel" }) : el("span", c.phone, { class: "tel" });
  }

  // One line per number: name, number, hours; each number once. `shown` holds the
  // numbers already on screen (the crisis block's), so none is repeated below it; a
  // card passes a child of it (Object.create), so its own numbers stay its own.
  function lines(contacts, shown) {
    var ul = el("ul");
    contacts.forEach(function (c) {
      if (!c.phone || shown[c.phone]) { return; }
      shown[c.phone] = true;
      var li = el("li", c.name + " ");
      li.appendChild(tel(c));
      if (c.hours) { li.appendChild(document.createTextNode(" " + c.hours)); }
      ul.appendChild(li);
    });
    return ul;
  }

  // The crisis block as on the page: boxed, headed, an alert.
  function crisis(e, contacts, shown) {
    var id = "tsunagu-crisis-" + Math.random().toString(36).slice(2);
    var s = el("section", null, { class: "box tsunagu-crisis", role: "alert", "aria-labelledby": id });
    s.appendChild(el("h3", T.CRISIS, { id: id }));
    e.message.split("\n").forEach(function (m) { if (m) { s.appendChild(el("p", m)); } });
    s.appendChild(lines(contacts, shown));
    return s;
  }

  // Despair with no clear danger: the calm block, with the lines that listen.
  function support(sp, contacts, shown) {
    var s = el("section", null, { class: "box tsunagu-support", "aria-label": sp.title });
    s.appendChild(el("h3", sp.title));
    s.appendChild(el("p", sp.message));
    s.appendChild(lines(contacts, shown));
    return s;
  }

  // The age notices of a card's numbers, each said once.
  function notices(contacts) {
    var seen = {}, out = [];
    contacts.forEach(function (c) {
      if (c.as_of && !seen[c.as_of]) { seen[c.as_of] = true; out.push(el("p", "※" + c.as_of, { class: "as-of" })); }
    });
    return out;
  }

  function card(r, C, shown) {
    var a = el("article");
    var h = el("h3");
    h.appendChild(el("a", r.title, { href: origin + "/resources/" + r.id + (city ? "?city=" + city : "") }));
    a.appendChild(h);
    var phones = r.contacts.map(C).filter(function (c) { return c.phone; });
    var fresh = phones.filter(function (c) { return !shown[c.phone]; });
    var first = r.route && r.route[0];
    if (fresh.length) {
      a.appendChild(lines(fresh, Object.create(shown)));
      notices(fresh).forEach(function (n) { a.appendChild(n); });
    } else if (phones.length) {
      a.appendChild(el("p", T.ABOVE));
    } else if (first) {
      // No number of its own yet: the answer's first route step says whom to call.
      a.appendChild(el("p", first.text));
      if (first.contact !== null && first.contact !== undefined) { a.appendChild(lines([C(first.contact)], Object.create(shown))); }
    }
    return a;
  }

  function render(out, a) {
    // The compact form: each contact once in a.contacts, referenced by position.
    var C = function (i) { return a.contacts[i]; };
    var shown = {};
    out.textContent = "";
    if (a.emergency) {
      out.appendChild(crisis(a.emergency, a.emergency.contacts.map(C), shown));
    } else if (a.support) {
      out.appendChild(support(a.support, a.support.contacts.map(C), shown));
    }
    (a.results || []).forEach(function (r) { out.appendChild(card(r, C, shown)); });
    if (a.error) { out.appendChild(el("p", a.error.message)); }
  }

  var box = mount();
  var form = el("form", null, { role: "search" });
  // A unique id all the same: without a shadow root it would share the city's page.
  var id = "tsunagu-q-" + Math.random().toString(36).slice(2);
  form.appendChild(el("label", T.ASK, { for: id }));
  var input = el("input", null, { id: id, type: "search", maxlength: "500", autocomplete: "off" });
  form.appendChild(input);
  form.appendChild(el("button", T.SEARCH, { type: "submit" }));
  var out = el("div", null, { "aria-live": "polite" });
  box.appendChild(form);
  box.appendChild(out);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value.trim();
    if (!q) { return; }
    var url = origin + "/api/answer?form=compact&q=" + encodeURIComponent(q) + (city ? "&city=" + encodeURIComponent(city) : "");
    fetch(url).then(function (r) { return r.json(); })
      .then(function (a) { render(out, a); })
      .catch(function () { out.textContent = T.FAILED; });
  });
})();

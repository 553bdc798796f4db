/*
 * Role Advisor widget. A site owner adds one tag:
 *   <script src="https://ADVISOR_HOST/widget.js" data-title="Career help" data-greeting="Ask me about a role"
 *           data-position="bottom-right" async></script>
 * Options (data-*): title, greeting, position (bottom-right | bottom-left), target (CSS selector of an element
 * to render inline in, instead of a launcher button), open ("true" to start open).
 *
 * Everything renders inside a Shadow DOM: the host page's CSS cannot reach it and its CSS cannot leak out.
 * All text from the server is inserted with textContent, never as HTML. No secret is used or needed: the
 * server decides which origins may call it.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var api = new URL(script.src, location.href).origin;
  var opts = script.dataset;
  var title = opts.title || "Role Advisor";
  var greeting = opts.greeting || "Ask about a role's requirements, pay or career growth.";
  var position = opts.position === "bottom-left" ? "left" : "right";
  var storageKey = "role-advisor:" + api + ":" + (opts.target || "launcher");

  var css = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif}",
    ".launcher{position:fixed;bottom:20px;" + position + ":20px;z-index:2147483000;border:0;border-radius:28px;",
    "padding:14px 20px;background:#1f4e8c;color:#fff;font-size:15px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".launcher:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #f5a623;outline-offset:2px}",
    ".panel{display:flex;flex-direction:column;background:#fff;color:#1b1b1b;border:1px solid #c9d3e0;border-radius:12px;",
    "overflow:hidden;font-size:14px;line-height:1.45}",
    ".floating{position:fixed;bottom:84px;" + position + ":20px;z-index:2147483000;width:min(380px,calc(100vw - 40px));",
    "height:min(560px,calc(100vh - 120px));box-shadow:0 8px 30px rgba(0,0,0,.3)}",
    ".inline{width:100%;height:100%;min-height:420px}",
    "[hidden]{display:none!important}",
    "header{display:flex;align-items:center;justify-content:space-between;padding:10px 14px;background:#1f4e8c;color:#fff}",
    "header h2{margin:0;font-size:15px;font-weight:600}",
    "header button{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.5);border-radius:6px;padding:3px 8px;cursor:pointer}",
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px}",
    ".msg{max-width:92%;padding:8px 11px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}",
    ".user{align-self:flex-end;background:#e3ecf8}",
    ".bot{align-self:flex-start;background:#f4f5f7}",
    ".abstained{background:#fff4e0;border-left:4px solid #d98a00}",
    ".error{background:#fde8e8;border-left:4px solid #c62828}",
    ".note{font-weight:600;display:block;margin-bottom:4px}",
    "details{margin-top:6px;font-size:13px}",
    "summary{cursor:pointer;color:#1f4e8c}",
    ".cite{margin:6px 0 0;padding:6px 8px;background:#fff;border:1px solid #dde3ea;border-radius:6px}",
    ".cite-head{font-weight:600;display:block}",
    ".cite-text{display:block;color:#333;margin-top:3px}",
    ".cite-license{display:block;color:#666;font-size:11px;margin-top:4px}",
    "mark{background:#fff1a8}",
    "form{display:flex;gap:6px;padding:10px;border-top:1px solid #e1e6ed}",
    "textarea{flex:1;resize:none;height:42px;padding:8px;border:1px solid #b8c4d3;border-radius:8px;font-size:14px}",
    "form button{border:0;border-radius:8px;padding:0 14px;background:#1f4e8c;color:#fff;cursor:pointer;font-size:14px}",
    "form button.stop{background:#8c1f1f}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}"
  ].join("");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var host = el("div", { "data-role-advisor": "" });
  var target = null;
  if (opts.target) {
    try { target = document.querySelector(opts.target); } catch (e) { target = null; }
    if (!target) console.warn("Role Advisor: data-target " + opts.target + " matches nothing; showing a launcher.");
  }
  (target || document.body).appendChild(host);
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("style", {}, css));

  var panel = el("section", { class: "panel " + (target ? "inline" : "floating"), role: "dialog", "aria-label": title });
  var header = el("header");
  header.appendChild(el("h2", {}, title));
  var newChat = el("button", { type: "button", "aria-label": "Start a new chat" }, "New chat");
  header.appendChild(newChat);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite" });
  var form = el("form");
  var label = el("label", { class: "sr", for: "q" }, "Your question");
  var input = el("textarea", { id: "q", placeholder: "Type a question and press Enter", maxlength: "2000" });
  var send = el("button", { type: "submit" }, "Ask");
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(form);

  var launcher = null;
  if (!target) {
    launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false" }, title);
    root.appendChild(launcher);
    panel.hidden = opts.open !== "true";
    launcher.setAttribute("aria-expanded", String(!panel.hidden));
    launcher.addEventListener("click", function () { toggle(panel.hidden); });
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { toggle(false); launcher.focus(); }
    });
  }
  root.appendChild(panel);

  function toggle(open) {
    panel.hidden = !open;
    if (launcher) launcher.setAttribute("aria-expanded", String(open));
    if (open) input.focus();
  }

  // The conversation survives page reloads in this tab (sessionStorage), and nothing else is kept.
  var state = load();
  function load() {
    try { return JSON.parse(sessionStorage.getItem(storageKey)) || { turns: [] }; } catch (e) { return { turns: [] }; }
  }
  function save() {
    try { sessionStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* storage full or blocked */ }
  }

  function renderUser(text) {
    log.appendChild(el("div", { class: "msg user" }, text));
  }

  function renderAnswer(turn) {
    var box = el("div", { class: "msg bot" + (turn.abstained ? " abstained" : "") + (turn.error ? " error" : "") });
    if (turn.abstained) box.appendChild(el("span", { class: "note" }, "Not covered by the role documents"));
    var body = el("span", { class: "answer" });
    setText(body, turn.text || "");
    box.appendChild(body);
    if (turn.citations && turn.citations.length) box.appendChild(renderCitations(turn.citations));
    log.appendChild(box);
    log.scrollTop = log.scrollHeight;
    return { box: box, body: body };
  }

  // Documents mark labels as **bold**; show them bold, with every piece inserted as text.
  function setText(node, text) {
    node.textContent = "";
    text.split(/(\*\*[^*\n]+\*\*)/).forEach(function (part) {
      if (/^\*\*[^*\n]+\*\*$/.test(part)) node.appendChild(el("strong", {}, part.slice(2, -2)));
      else if (part) node.appendChild(document.createTextNode(part));
    });
  }

  function renderCitations(citations) {
    var details = el("details", { class: "sources" });
    details.appendChild(el("summary", {}, "Sources (" + citations.length + ")"));
    citations.forEach(function (c) {
      var item = el("div", { class: "cite" });
      item.appendChild(el("span", { class: "cite-head" }, "[" + c.n + "] " + c.role + " › " + c.section + " — " + c.source));
      var passage = el("span", { class: "cite-text" });
      setText(passage, c.text);
      item.appendChild(passage);
      if (c.attribution) item.appendChild(el("span", { class: "cite-license" }, c.attribution));
      details.appendChild(item);
    });
    return details;
  }

  function renderAll() {
    log.textContent = "";
    log.appendChild(el("div", { class: "msg bot" }, greeting));
    state.turns.forEach(function (t) {
      if (t.role === "user") renderUser(t.content); else renderAnswer(t);
    });
  }

  var controller = null;
  function busy(on) {
    send.textContent = on ? "Stop" : "Ask";
    send.className = on ? "stop" : "";
    send.setAttribute("aria-label", on ? "Stop this answer" : "Ask");
  }

  // Follow-ups need only the recent turns; the server caps history and body size, so send a bounded tail.
  var HISTORY_TURNS = 10, TURN_CHARS = 1500;
  function history() {
    return state.turns.slice(-HISTORY_TURNS).map(function (t) {
      var text = t.role === "user" ? t.content : (t.text || "");
      return { role: t.role === "user" ? "user" : "assistant", content: text.slice(0, TURN_CHARS) };
    });
  }

  async function ask(question) {
    var previous = history();
    state.turns.push({ role: "user", content: question });
    save();
    renderUser(question);
    var turn = { role: "assistant", text: "", citations: [], abstained: false };
    var view = renderAnswer(turn);
    var mine = new AbortController();
    controller = mine;
    busy(true);
    var finished = false;
    try {
      var res = await fetch(api + "/api/ask/stream", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question: question, history: previous }),
        signal: mine.signal
      });
      if (!res.ok) {
        var detail = "The advisor could not answer (" + res.status + ").";
        try {
          var body = (await res.json()).detail;
          // FastAPI's validation errors are a list of {msg}; our own errors are one sentence.
          detail = typeof body === "string" ? body : (body && body[0] && body[0].msg) || detail;
        } catch (e) { /* not JSON */ }
        throw new Error(detail);
      }
      await readEvents(res.body, function (event, data) {
        if (event === "sources") {
          turn.citations = data.citations;
          turn.abstained = data.abstained;
          if (data.abstained) view.box.classList.add("abstained");
        } else if (event === "token") {
          turn.text += data.text;
          setText(view.body, turn.text);
        } else if (event === "done") {
          turn.text = data.answer;
          turn.answerId = data.answer_id;
          finished = true;
        } else if (event === "error") {
          throw new Error(data.detail);
        }
      });
      if (!finished) throw new Error("The answer was cut off. Please ask again.");
      state.turns.push(turn);
      save();
      view.box.remove();
      renderAnswer(turn);
    } catch (err) {
      if (controller !== mine) return;  // a new chat was started meanwhile: this answer belongs to no one
      var stopped = err && err.name === "AbortError";
      view.box.remove();
      // fetch() rejects with a TypeError when the network fails or the server refuses this page's origin.
      var unreachable = err instanceof TypeError || !err.message;
      var message = unreachable ? "The advisor cannot be reached from this page (network error, or this site is not allowed to use it)." : err.message;
      var failed = { role: "assistant", error: true, text: stopped ? "Stopped." : "⚠ " + message };
      renderAnswer(failed);
      state.turns.pop();
      save();
    } finally {
      if (controller === mine) {
        controller = null;
        busy(false);
        input.focus();
      }
    }
  }

  async function readEvents(stream, onEvent) {
    var reader = stream.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      var parts = buffer.split("\n\n");
      buffer = parts.pop();
      parts.forEach(function (part) {
        var event = "message", data = "";
        part.split("\n").forEach(function (line) {
          if (line.indexOf("event: ") === 0) event = line.slice(7);
          else if (line.indexOf("data: ") === 0) data += line.slice(6);
        });
        if (data) onEvent(event, JSON.parse(data));
      });
    }
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (controller) { controller.abort(); return; }
    var question = input.value.trim();
    if (!question) return;
    input.value = "";
    ask(question);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
  newChat.addEventListener("click", function () {
    var running = controller;
    controller = null;
    busy(false);
    if (running) running.abort();
    state = { turns: [] };
    save();
    renderAll();
    input.focus();
  });

  renderAll();
})();

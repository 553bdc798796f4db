/*
 * Role Advisor widget. A site owner adds one tag (every option: README.md, "Widget"; docs/site-owners.md):
 *   <script src="https://ADVISOR_HOST/widget.js" data-title="Career help" async></script>
 *
 * Each tag makes one widget: a launcher button with a floating panel, or an inline panel (data-target).
 * Everything renders inside a Shadow DOM: the host page's CSS cannot reach it and its CSS cannot leak out.
 * Every piece of text from the server or the visitor is inserted with textContent or createTextNode, never as
 * HTML. No secret is used or needed: the server decides which origins may call it.
 * window.RoleAdvisor drives the first launcher widget on the page (else the first inline one) and lists all of
 * them in window.RoleAdvisor.widgets.
 *
 * One file with no build step, so that a site owner can read it and host a copy (data-server then names the
 * advisor); hence its length.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;

  var STRINGS = {
    en: {
      title: "Role Advisor",
      greeting: "Ask about a role's requirements, pay or career growth.",
      label: "Your question",
      placeholder: "Type a question and press Enter",
      ask: "Ask",
      stop: "Stop",
      stopLabel: "Stop waiting for this answer",
      newChat: "New chat",
      close: "Close",
      closeLabel: "Close the chat",
      waiting: "Finding the passages",
      sources: "Sources ({n})",
      source: "Source {n}",
      notCovered: "Not covered by the role documents",
      retry: "Retry",
      refused: "This assistant isn't available on this site.",
      unreachable: "The advisor can't be reached right now.",
      tooFast: "Too many questions in a short time. Please wait {s} s, then press Retry.",
      busy: "The advisor is busy right now. Please try again in a moment.",
      stopped: "Stopped. Your question was not answered.",
      cutOff: "The answer was cut off.",
      failed: "The advisor could not answer ({status}).",
      rate: "Was this answer helpful?",
      helpful: "Helpful",
      notHelpful: "Not helpful",
      thanks: "Thanks for your feedback.",
      feedbackFailed: "Your feedback could not be sent.",
      role: "Role: {role}",
      suggestions: "Try asking:",
      conversation: "Conversation"
    },
    es: {
      title: "Asesor de puestos",
      greeting: "Pregunte por los requisitos, el salario o la progresión de un puesto.",
      label: "Su pregunta",
      placeholder: "Escriba una pregunta y pulse Intro",
      ask: "Preguntar",
      stop: "Detener",
      stopLabel: "Dejar de esperar esta respuesta",
      newChat: "Nueva conversación",
      close: "Cerrar",
      closeLabel: "Cerrar el chat",
      waiting: "Buscando los pasajes",
      sources: "Fuentes ({n})",
      source: "Fuente {n}",
      notCovered: "Los documentos de los puestos no lo cubren",
      retry: "Reintentar",
      refused: "Este asistente no está disponible en este sitio.",
      unreachable: "No se puede contactar con el asesor en este momento.",
      tooFast: "Demasiadas preguntas en poco tiempo. Espere {s} s y pulse Reintentar.",
      busy: "El asesor está ocupado. Inténtelo de nuevo en un momento.",
      stopped: "Detenido. Su pregunta no se respondió.",
      cutOff: "La respuesta llegó incompleta.",
      failed: "El asesor no pudo responder ({status}).",
      rate: "¿Le ha sido útil esta respuesta?",
      helpful: "Útil",
      notHelpful: "No útil",
      thanks: "Gracias por su opinión.",
      feedbackFailed: "No se pudo enviar su opinión.",
      role: "Puesto: {role}",
      suggestions: "Puede preguntar:",
      conversation: "Conversación"
    },
    fr: {
      title: "Conseiller métiers",
      greeting: "Posez vos questions sur les exigences, le salaire ou l'évolution d'un poste.",
      label: "Votre question",
      placeholder: "Tapez une question et appuyez sur Entrée",
      ask: "Demander",
      stop: "Arrêter",
      stopLabel: "Ne plus attendre cette réponse",
      newChat: "Nouvelle conversation",
      close: "Fermer",
      closeLabel: "Fermer le chat",
      waiting: "Recherche des passages",
      sources: "Sources ({n})",
      source: "Source {n}",
      notCovered: "Non couvert par les documents des postes",
      retry: "Réessayer",
      refused: "Cet assistant n'est pas disponible sur ce site.",
      unreachable: "Le conseiller est injoignable pour le moment.",
      tooFast: "Trop de questions en peu de temps. Attendez {s} s, puis appuyez sur Réessayer.",
      busy: "Le conseiller est occupé. Réessayez dans un instant.",
      stopped: "Arrêté. Votre question n'a pas reçu de réponse.",
      cutOff: "La réponse a été interrompue.",
      failed: "Le conseiller n'a pas pu répondre ({status}).",
      rate: "Cette réponse vous a-t-elle aidé ?",
      helpful: "Utile",
      notHelpful: "Pas utile",
      thanks: "Merci pour votre avis.",
      feedbackFailed: "Votre avis n'a pas pu être envoyé.",
      role: "Poste : {role}",
      suggestions: "Essayez :",
      conversation: "Conversation"
    },
    de: {
      title: "Berufsberater",
      greeting: "Fragen Sie nach Anforderungen, Gehalt oder Entwicklung einer Stelle.",
      label: "Ihre Frage",
      placeholder: "Frage eingeben und Enter drücken",
      ask: "Fragen",
      stop: "Stopp",
      stopLabel: "Nicht mehr auf diese Antwort warten",
      newChat: "Neuer Chat",
      close: "Schließen",
      closeLabel: "Chat schließen",
      waiting: "Passagen werden gesucht",
      sources: "Quellen ({n})",
      source: "Quelle {n}",
      notCovered: "Nicht durch die Stellendokumente abgedeckt",
      retry: "Erneut versuchen",
      refused: "Dieser Assistent ist auf dieser Website nicht verfügbar.",
      unreachable: "Der Berater ist gerade nicht erreichbar.",
      tooFast: "Zu viele Fragen in kurzer Zeit. Bitte warten Sie {s} s und wählen Sie dann „Erneut versuchen“.",
      busy: "Der Berater ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal.",
      stopped: "Gestoppt. Ihre Frage wurde nicht beantwortet.",
      cutOff: "Die Antwort wurde abgeschnitten.",
      failed: "Der Berater konnte nicht antworten ({status}).",
      rate: "War diese Antwort hilfreich?",
      helpful: "Hilfreich",
      notHelpful: "Nicht hilfreich",
      thanks: "Danke für Ihre Rückmeldung.",
      feedbackFailed: "Ihre Rückmeldung konnte nicht gesendet werden.",
      role: "Stelle: {role}",
      suggestions: "Zum Beispiel:",
      conversation: "Unterhaltung"
    }
  };
  var DEFAULT_COLOR = "#1f4e8c";
  var DEFAULT_OFFSET = "20px";
  var DEFAULT_Z = 2147483000;
  // Follow-ups need only the recent turns; the server caps history and body size, so send a bounded tail.
  var HISTORY_TURNS = 10, TURN_CHARS = 1500, KEPT_TURNS = 60;
  var ICONS = {
    chat: "M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2z",
    thumb: "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 " +
      "7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z"
  };

  var registry = globalRegistry();
  var opts = script.dataset;
  var lang = (opts.lang || "en").toLowerCase().split("-")[0];
  if (!STRINGS[lang]) {
    console.warn("Role Advisor: data-lang \"" + opts.lang + "\" is not one of " + Object.keys(STRINGS).join(", ") +
      "; using en.");
    lang = "en";
  }
  var T = STRINGS[lang];
  var api = serverOrigin(opts.server, new URL(script.src, location.href).origin);
  var title = opts.title || T.title;
  var greeting = opts.greeting || T.greeting;
  var side = opts.position === "bottom-left" ? "left" : "right";
  if (opts.position && opts.position !== "bottom-left" && opts.position !== "bottom-right") {
    console.warn("Role Advisor: data-position is bottom-right or bottom-left, not \"" + opts.position + "\".");
  }
  var offset = cssLength(opts.offset);
  var zIndex = integer(opts.zIndex);
  var presetRole = (opts.role || "").trim();
  var suggestions = (opts.suggestions || "").split("|").map(function (s) { return s.trim(); })
    .filter(Boolean).slice(0, 6);
  var persist = opts.persist === "true";
  var theme = themeColors(opts.color);

  function t(key, values) {
    return T[key].replace(/\{(\w+)\}/g, function (all, name) { return values && name in values ? values[name] : all; });
  }

  function serverOrigin(value, fallback) {
    if (!value) return fallback;
    try {
      var url = new URL(value, location.href);
      if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
    } catch (e) { /* reported below */ }
    console.error("Role Advisor: data-server \"" + value + "\" is not an http(s) address; using " + fallback + ".");
    return fallback;
  }

  function cssLength(value) {
    if (!value) return DEFAULT_OFFSET;
    // Only a plain length or calc() of lengths: the value goes into the widget's own style sheet.
    if (/^[\w.%()+\-*\/ ]+$/.test(value) && window.CSS && CSS.supports("bottom", value)) return value;
    console.warn("Role Advisor: data-offset \"" + value + "\" is not a CSS length; using " + DEFAULT_OFFSET + ".");
    return DEFAULT_OFFSET;
  }

  function integer(value) {
    if (!value) return DEFAULT_Z;
    if (/^-?\d{1,10}$/.test(value.trim())) return parseInt(value, 10);
    console.warn("Role Advisor: data-z-index \"" + value + "\" is not an integer; using " + DEFAULT_Z + ".");
    return DEFAULT_Z;
  }

  // --- Colours: the site's colour as the background of the header, launcher and Ask button, with a text colour
  // chosen for contrast; a darkened copy ("ink") where it is text or a border on white. WCAG's formulas.
  function rgbOf(value) {
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, 1, 1);
    ctx.fillStyle = value;
    ctx.fillRect(0, 0, 1, 1);  // over white: a translucent colour is seen as it blends
    var d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2]];
  }
  function luminance(rgb) {
    var c = rgb.map(function (v) { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function css(rgb) { return "rgb(" + rgb.map(Math.round).join(",") + ")"; }
  function mix(rgb, other, share) { return rgb.map(function (v, i) { return v + (other[i] - v) * share; }); }
  function themeColors(value) {
    var chosen = value || DEFAULT_COLOR;
    if (!(window.CSS && CSS.supports("color", chosen))) {
      console.warn("Role Advisor: data-color \"" + value + "\" is not a CSS colour; using " + DEFAULT_COLOR + ".");
      chosen = DEFAULT_COLOR;
    }
    var bg = rgbOf(chosen), white = [255, 255, 255], dark = [17, 17, 17];
    var fg = contrast(bg, white) >= contrast(bg, dark) ? white : dark;
    var ink = bg;
    for (var i = 1; contrast(ink, white) < 4.5 && i <= 20; i++) ink = mix(bg, [0, 0, 0], i / 20);
    return { bg: css(bg), fg: css(fg), ink: css(ink), tint: css(mix(bg, white, 0.88)) };
  }

  var STYLE = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}",
    "[hidden]{display:none!important}",
    "button{font-size:15px;cursor:pointer;min-height:44px;min-width:44px}",
    "button:focus-visible,textarea:focus-visible,summary:focus-visible,[tabindex]:focus-visible{",
    "outline:3px solid " + theme.ink + ";outline-offset:2px}",
    ".launcher{position:fixed;bottom:" + offset + ";" + side + ":" + offset + ";z-index:" + zIndex + ";",
    "display:flex;align-items:center;gap:8px;border:0;border-radius:28px;min-height:52px;padding:0 20px;",
    "background:" + theme.bg + ";color:" + theme.fg + ";font-size:16px;font-weight:600;",
    "box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".launcher[aria-expanded=true]{box-shadow:0 0 0 3px " + theme.fg + " inset,0 4px 14px rgba(0,0,0,.25)}",
    ".launcher:focus-visible{outline:3px solid transparent;box-shadow:0 0 0 3px #fff,0 0 0 6px " + theme.ink + "}",
    "svg{width:22px;height:22px;fill:currentColor;flex:none}",
    ".x{font-size:26px;line-height:1}",
    ".panel{display:flex;flex-direction:column;background:#fff;color:#1b1b1b;border:1px solid #c9d3e0;",
    "border-radius:12px;overflow:hidden;font-size:15px;line-height:1.5}",
    ".floating{position:fixed;bottom:calc(" + offset + " + 64px);" + side + ":" + offset + ";z-index:" + zIndex + ";",
    "width:min(400px,calc(100vw - 2 * " + offset + "));height:min(600px,calc(100vh - " + offset + " - 84px));",
    "box-shadow:0 8px 30px rgba(0,0,0,.3)}",
    // Phones: the whole screen, as a dialog should be there (and never a card too small to read).
    "@media (max-width:599.98px){.floating{top:0;left:0;right:0;bottom:0;width:100%;height:100%;",
    "border:0;border-radius:0}}",
    ".inline{width:100%;height:100%;min-height:420px}",
    "header{display:flex;align-items:center;gap:6px;padding:4px 6px 4px 14px;background:" + theme.bg + ";",
    "color:" + theme.fg + "}",
    "header h2{margin:0;flex:1;font-size:16px;font-weight:600;color:" + theme.fg + "}",
    "header button{background:transparent;color:" + theme.fg + ";border:1px solid currentColor;border-radius:8px;",
    "padding:0 10px}",
    "header button.close{border-color:transparent}",
    "header button:focus-visible{outline-color:" + theme.fg + ";outline-offset:-5px}",
    ".role-bar{margin:0;padding:6px 14px;background:" + theme.tint + ";color:#1b1b1b;font-size:14px;",
    "border-bottom:1px solid #dde3ea}",
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px}",
    ".log:focus-visible{outline-offset:-3px}",
    ".msg{max-width:94%;padding:8px 12px;border-radius:10px;word-wrap:break-word;overflow-wrap:anywhere}",
    ".user{align-self:flex-end;background:" + theme.tint + ";white-space:pre-wrap}",
    ".bot{align-self:flex-start;background:#f4f5f7}",
    ".abstained{background:#fff4e0;border-left:4px solid #b36b00}",
    ".error{background:#fde8e8;border-left:4px solid #b71c1c}",
    ".note{font-weight:600;display:block;margin-bottom:4px}",
    ".answer p{margin:0 0 6px}.answer p:last-child{margin-bottom:0}",
    ".answer ul,.cite-text ul{margin:4px 0 6px;padding-left:22px}.answer li,.cite-text li{margin:3px 0}",
    ".cite-text p{margin:0 0 4px}",
    // A 44 px target around a small chip, its negative margins keeping the line's height.
    ".cite-ref{display:inline-flex;align-items:center;justify-content:center;vertical-align:middle;",
    "margin:-12px -8px;padding:0;border:0;background:transparent;color:" + theme.ink + "}",
    ".cite-ref span{padding:0 4px;border-radius:4px;background:#e6ecf5;font-size:13px;font-weight:600;",
    "line-height:20px;color:#13315c}",
    ".cite-ref:hover span{text-decoration:underline}",
    "details{margin-top:6px;font-size:14px}",
    "summary{display:flex;align-items:center;min-height:44px;cursor:pointer;color:" + theme.ink + ";",
    "font-weight:600;list-style:none}",
    "summary::-webkit-details-marker{display:none}",
    "summary::before{content:'\\25B8';margin-right:6px}details[open]>summary::before{content:'\\25BE'}",
    ".cite{margin:6px 0 0;padding:6px 8px;background:#fff;border:1px solid #dde3ea;border-radius:6px}",
    ".cite:focus{outline:3px solid " + theme.ink + "}",
    ".cite-head{font-weight:600;display:block}",
    ".cite-text{display:block;color:#333;margin-top:3px}",
    ".cite-license{display:block;color:#595959;font-size:12px;margin-top:4px}",
    "mark{background:#fff1a8;color:#1b1b1b}",
    ".feedback{display:flex;align-items:center;gap:6px;margin-top:6px;font-size:13px;color:#4a4a4a}",
    ".feedback button{display:inline-flex;align-items:center;justify-content:center;padding:0;",
    "background:#fff;color:#4a4a4a;border:1px solid #8a94a3;border-radius:8px}",
    ".feedback button[aria-pressed=true]{background:" + theme.tint + ";color:" + theme.ink + ";border-color:" + theme.ink + "}",
    ".feedback .down svg{transform:rotate(180deg)}",
    ".pending{display:flex;align-items:center;gap:2px;color:#3d3d3d}",
    ".dots span{animation:blink 1.4s infinite both}.dots span:nth-child(2){animation-delay:.2s}",
    ".dots span:nth-child(3){animation-delay:.4s}",
    "@keyframes blink{0%,80%,100%{opacity:.2}40%{opacity:1}}",
    "@media (prefers-reduced-motion:reduce){.dots span{animation:none}}",
    ".actions{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}",
    ".plain{background:#fff;color:" + theme.ink + ";border:1px solid " + theme.ink + ";border-radius:8px;",
    "padding:0 12px;font-weight:600}",
    ".suggestions{display:flex;flex-direction:column;align-items:flex-start;gap:6px}",
    ".suggestions p{margin:0;color:#3d3d3d;font-size:14px}",
    ".suggestions button{text-align:left;padding:8px 12px}",
    "form{display:flex;gap:6px;padding:10px;border-top:1px solid #e1e6ed;align-items:flex-end}",
    "textarea{flex:1;resize:none;min-height:48px;height:48px;padding:11px 10px;border:1px solid #6b7785;",
    "border-radius:8px;font-size:16px;line-height:1.5;color:#1b1b1b;background:#fff}",
    "textarea::placeholder{color:#5f6368;opacity:1}",
    "form button{border:0;border-radius:8px;min-height:48px;padding:0 16px;background:" + theme.bg + ";",
    "color:" + theme.fg + ";font-weight:600}",
    "form button[aria-disabled=true]{background:#e4e7eb;color:#4a4a4a;cursor:not-allowed}",
    "form button.stop{background:#8c1f1f;color:#fff}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
  ].join("");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function icon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.appendChild(p);
    return svg;
  }

  // --- The shell: launcher, panel (header, role, log, form), in a shadow root.
  var host = el("div", { "data-role-advisor": "" });
  var target = null;
  if (opts.target) {
    try { target = document.querySelector(opts.target); } catch (e) { target = null; }
    if (!target) console.warn("Role Advisor: data-target " + opts.target + " matches nothing; showing a launcher.");
  }
  var inline = !!target;
  (target || document.body).appendChild(host);
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("style", {}, STYLE));

  var panel = el("section", inline
    ? { class: "panel inline", role: "region", "aria-label": title, lang: lang }
    : { class: "panel floating", role: "dialog", "aria-modal": "true", "aria-label": title, lang: lang, id: "panel" });
  var header = el("header");
  header.appendChild(el("h2", {}, title));
  var newChat = el("button", { type: "button" }, T.newChat);
  header.appendChild(newChat);
  var closeButton = null;
  if (!inline) {
    closeButton = el("button", { type: "button", class: "close", "aria-label": T.closeLabel });
    closeButton.appendChild(el("span", { class: "x", "aria-hidden": "true" }, "×"));
    header.appendChild(closeButton);
  }
  panel.appendChild(header);
  if (presetRole) panel.appendChild(el("p", { class: "role-bar" }, t("role", { role: presetRole })));
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.conversation, tabindex: "0" });
  var form = el("form");
  var input = el("textarea", { id: "q", placeholder: T.placeholder, maxlength: "2000", rows: "1" });
  var send = el("button", { type: "submit" }, T.ask);
  var stop = el("button", { type: "button", class: "stop", "aria-label": T.stopLabel, hidden: "" }, T.stop);
  form.appendChild(el("label", { class: "sr", for: "q" }, T.label));
  form.appendChild(input);
  form.appendChild(send);
  form.appendChild(stop);
  panel.appendChild(log);
  panel.appendChild(form);

  var launcher = null;
  if (!inline) {
    launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "panel" });
    root.appendChild(launcher);
    panel.hidden = true;
    launcher.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); close(); }
      else if (e.key === "Tab") keepFocusInside(e);
    });
    closeButton.addEventListener("click", function () { close(); });
    drawLauncher();
  }
  root.appendChild(panel);

  function drawLauncher() {
    launcher.textContent = "";
    if (panel.hidden) {
      launcher.appendChild(icon(ICONS.chat));
      launcher.appendChild(el("span", {}, title));
    } else {
      launcher.appendChild(el("span", { class: "x", "aria-hidden": "true" }, "×"));
      launcher.appendChild(el("span", {}, T.close));
    }
    launcher.setAttribute("aria-expanded", String(!panel.hidden));
  }

  // While the floating panel is open, Tab and Shift+Tab go round its controls and never out to the page.
  function focusables() {
    return Array.prototype.filter.call(
      panel.querySelectorAll("button, textarea, summary, [tabindex]:not([tabindex='-1'])"),
      function (node) { return !node.disabled && node.getClientRects().length > 0; });
  }
  function keepFocusInside(e) {
    var items = focusables();
    if (!items.length) return;
    var first = items[0], last = items[items.length - 1], active = root.activeElement;
    var inside = active && panel.contains(active);
    if (e.shiftKey && (active === first || !inside)) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && (active === last || !inside)) { e.preventDefault(); first.focus(); }
  }

  function open() {
    if (inline) { input.focus(); return; }
    if (!panel.hidden) return;
    panel.hidden = false;
    drawLauncher();
    (form.hidden ? closeButton : input).focus();
    log.scrollTop = log.scrollHeight;
    probe();
    emit("open", {});
  }
  function close() {
    if (inline || panel.hidden) return;
    var hadFocus = !!root.activeElement;
    panel.hidden = true;
    drawLauncher();
    if (hadFocus) launcher.focus();
    emit("close", {});
  }

  // --- The conversation, kept in this tab (sessionStorage) or, with data-persist="true", across visits.
  var storageKey = "role-advisor:" + api + ":" + (opts.target || "launcher");
  var storage = null;
  try { storage = persist ? window.localStorage : window.sessionStorage; } catch (e) { storage = null; }
  var state = load();
  function load() {
    try {
      var saved = JSON.parse(storage.getItem(storageKey));
      if (saved && Array.isArray(saved.turns)) return saved;
    } catch (e) { /* nothing kept, or storage blocked */ }
    return { turns: [] };
  }
  function save() {
    state.turns = state.turns.slice(-KEPT_TURNS);
    try { storage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* storage full or blocked */ }
  }

  // --- Formatted text: blocks of spans from the server, every piece inserted as text.
  function renderSpans(parent, spans, onCite) {
    (spans || []).forEach(function (span) {
      if (!span) return;
      if (typeof span.cite === "number") {
        parent.appendChild(onCite ? citeButton(span.cite, onCite) : document.createTextNode("[" + span.cite + "]"));
        return;
      }
      var node = document.createTextNode(String(span.text || ""));
      if (span.bold) { var strong = el("strong"); strong.appendChild(node); node = strong; }
      if (span.mark) { var mark = el("mark"); mark.appendChild(node); node = mark; }
      parent.appendChild(node);
    });
  }
  function renderBlocks(parent, blocks, onCite) {
    (blocks || []).forEach(function (block) {
      if (block.type === "list") {
        var list = el(block.ordered ? "ol" : "ul");  // numbered choices: a reply picks one by its number
        (block.items || []).forEach(function (spans) {
          var item = el("li");
          renderSpans(item, spans, onCite);
          list.appendChild(item);
        });
        parent.appendChild(list);
      } else {
        var p = el("p");
        renderSpans(p, block.spans, onCite);
        parent.appendChild(p);
      }
    });
  }
  // Answers kept from before the server sent blocks (or from an older server): bullets, **bold** and [n] read
  // from the text, as the server would.
  function textBlocks(text, cites) {
    var blocks = [], list = null;
    String(text || "").split("\n").forEach(function (line) {
      var bullet = /^\s*[-*•]\s+(\S.*)$/.exec(line);
      if (bullet) {
        if (!list) { list = { type: "list", items: [] }; blocks.push(list); }
        list.items.push(textSpans(bullet[1], cites));
      } else {
        list = null;
        if (line.trim()) blocks.push({ type: "paragraph", spans: textSpans(line.trim(), cites) });
      }
    });
    return blocks;
  }
  function textSpans(text, cites) {
    var spans = [];
    text.split(/(\*\*[^*\n]+\*\*|\[\d{1,3}\])/).forEach(function (part) {
      var n = /^\[(\d{1,3})\]$/.exec(part);
      if (!part) return;
      if (/^\*\*[^*\n]+\*\*$/.test(part)) spans.push({ text: part.slice(2, -2), bold: true });
      else if (n && cites) spans.push({ cite: parseInt(n[1], 10) });
      else spans.push({ text: part });
    });
    return spans;
  }
  function citeButton(n, onCite) {
    var button = el("button", { type: "button", class: "cite-ref", "aria-label": t("source", { n: n }) });
    button.appendChild(el("span", { "aria-hidden": "true" }, "[" + n + "]"));
    button.addEventListener("click", function () { onCite(n); });
    return button;
  }

  // --- Messages.
  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function renderUser(text) {
    var node = el("div", { class: "msg user" }, text);
    log.appendChild(node);
    scrollDown();
    return node;
  }
  function renderBot(text, extraClass) {
    var node = el("div", { class: "msg bot" + (extraClass ? " " + extraClass : "") }, text);
    log.appendChild(node);
    scrollDown();
    return node;
  }

  function renderAnswer(turn) {
    var box = el("div", { class: "msg bot" + (turn.abstained ? " abstained" : "") });
    if (turn.answerId) box.setAttribute("data-answer-id", turn.answerId);
    if (turn.abstained) box.appendChild(el("span", { class: "note" }, T.notCovered));
    var body = el("div", { class: "answer" });
    var details = null;
    var cites = turn.citations && turn.citations.length ? turn.citations : null;
    if (cites) {
      details = renderCitations(cites);
    }
    function showSource(n) {
      var item = details && details.querySelector(".cite[data-n='" + n + "']");
      if (!item) return;
      details.open = true;
      item.scrollIntoView({ block: "nearest" });
      item.focus();
    }
    renderBlocks(body, turn.blocks || textBlocks(turn.text, !!cites), cites ? showSource : null);
    box.appendChild(body);
    if (details) box.appendChild(details);
    if (turn.answerId) box.appendChild(renderFeedback(turn));
    log.appendChild(box);
    scrollDown();
    return box;
  }

  function renderCitations(citations) {
    var details = el("details", { class: "sources" });
    details.appendChild(el("summary", {}, t("sources", { n: citations.length })));
    citations.forEach(function (c) {
      var item = el("div", { class: "cite", "data-n": String(c.n), tabindex: "-1" });
      item.appendChild(el("span", { class: "cite-head" },
        "[" + c.n + "] " + c.role + " › " + c.section + " — " + c.source));
      var passage = el("div", { class: "cite-text" });
      renderBlocks(passage, c.blocks || textBlocks(c.text, false), null);
      item.appendChild(passage);
      if (c.attribution) item.appendChild(el("span", { class: "cite-license" }, c.attribution));
      details.appendChild(item);
    });
    return details;
  }

  function renderFeedback(turn) {
    var row = el("div", { class: "feedback", role: "group", "aria-label": T.rate });
    var status = el("span", { role: "status" });
    var buttons = {};
    [["up", T.helpful], ["down", T.notHelpful]].forEach(function (pair) {
      var rating = pair[0];
      var button = el("button", { type: "button", class: rating, "aria-label": pair[1],
        "aria-pressed": String(turn.rating === rating) });
      button.appendChild(icon(ICONS.thumb));
      button.addEventListener("click", function () { rate(turn, rating, buttons, status); });
      buttons[rating] = button;
      row.appendChild(button);
    });
    row.appendChild(status);
    return row;
  }

  function rate(turn, rating, buttons, status) {
    if (turn.rating === rating) return;
    var before = turn.rating || null;
    function press(value) {
      Object.keys(buttons).forEach(function (k) { buttons[k].setAttribute("aria-pressed", String(k === value)); });
    }
    press(rating);
    status.textContent = "";
    fetch(api + "/api/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ answer_id: turn.answerId, rating: rating })
    }).then(function (res) {
      if (!res.ok) return problem(res).then(function (p) { throw p; });
      turn.rating = rating;
      save();
      status.textContent = T.thanks;
      emit("feedback", { answer_id: turn.answerId, rating: rating });
    }).catch(function (err) {
      press(before);
      status.textContent = T.feedbackFailed;
      var p = err && err.kind ? err : { kind: "unreachable", message: T.unreachable };
      emit("error", { kind: p.kind, status: p.status || null, message: p.message, during: "feedback" });
    });
  }

  function renderSuggestions() {
    if (!suggestions.length) return;
    var box = el("div", { class: "suggestions" });
    box.appendChild(el("p", {}, T.suggestions));
    suggestions.forEach(function (text) {
      var button = el("button", { type: "button", class: "plain" }, text);
      button.addEventListener("click", function () { submit(text); });
      box.appendChild(button);
    });
    log.appendChild(box);
  }

  var notice = null;  // the refused / unreachable message, while it holds
  function renderAll() {
    log.textContent = "";
    renderBot(greeting);
    if (!state.turns.length) renderSuggestions();
    state.turns.forEach(function (turn) {
      if (turn.role === "user") renderUser(turn.content); else renderAnswer(turn);
    });
    if (notice) log.appendChild(notice);
  }

  // --- Can this page use the advisor? One GET of /api/roles per advisor and page, before the first question.
  // A refused origin gets 403 (readable: the server allows it to read that refusal); when the browser hides the
  // response, a no-cors request tells a server that is up (but refuses this page) from one that is down.
  function probe(again) {
    var probes = registry._probes;
    if (!probes[api] || again) {
      probes[api] = fetch(api + "/api/roles", { method: "GET", credentials: "omit" }).then(function (res) {
        if (res.status === 403) {
          return res.json().catch(function () { return {}; }).then(function (body) {
            return refused(typeof body.detail === "string" ? body.detail : "");
          });
        }
        return { state: "ok" };
      }, function () {
        return fetch(api + "/api/roles", { method: "GET", mode: "no-cors", credentials: "omit" })
          .then(function () { return refused(""); }, function () { return { state: "down" }; });
      });
    }
    return probes[api].then(function (result) { showAvailability(result); return result; });
  }
  function refused(detail) {
    console.error("Role Advisor: the advisor at " + api + " refuses this page's origin, " + location.origin + "." +
      (detail ? " It says: \"" + detail + "\"" : "") + " To allow it, add " + location.origin +
      " to ADVISOR_ALLOWED_ORIGINS on the advisor server (comma-separated exact origins) and restart it.");
    return { state: "refused", detail: detail };
  }
  function showAvailability(result) {
    var kind = result.state === "refused" ? "refused" : result.state === "down" ? "unreachable" : null;
    var current = notice && notice.getAttribute("data-kind");
    if (current === kind) return;
    if (notice) { notice.remove(); notice = null; }
    form.hidden = result.state === "refused";
    var list = log.querySelector(".suggestions");
    if (list) list.hidden = !!kind;
    if (!kind) return;
    notice = renderBot(T[kind], "error status");
    notice.setAttribute("data-kind", kind);
    if (kind === "unreachable") {
      var actions = el("div", { class: "actions" });
      var retry = el("button", { type: "button", class: "plain" }, T.retry);
      retry.addEventListener("click", function () { probe(true); });
      actions.appendChild(retry);
      notice.appendChild(actions);
    }
    emit("error", { kind: kind, status: kind === "refused" ? 403 : null, message: T[kind], during: "load" });
  }

  // --- Asking.
  var controller = null;
  function pending(on) {
    send.setAttribute("aria-disabled", String(on));
    stop.hidden = !on;
  }
  function history() {
    return state.turns.slice(-HISTORY_TURNS).map(function (turn) {
      var text = turn.role === "user" ? turn.content : (turn.text || "");
      return { role: turn.role === "user" ? "user" : "assistant", content: text.slice(0, TURN_CHARS) };
    });
  }

  // A failed request as {kind, status, message, retryAfter}; the server's detail, or our words for the usual ones.
  function problem(res) {
    return res.json().catch(function () { return {}; }).then(function (body) {
      var detail = body && body.detail;
      detail = typeof detail === "string" ? detail : (detail && detail[0] && detail[0].msg) || "";
      var wait = parseInt(res.headers.get("Retry-After") || (/(\d+)\s*s\b/.exec(detail) || [])[1] || "", 10);
      if (res.status === 429) {
        var s = isNaN(wait) ? 10 : wait;
        return { kind: "rate_limited", status: 429, retryAfter: s, message: t("tooFast", { s: s }) };
      }
      if (res.status === 503) return { kind: "busy", status: 503, retryAfter: wait || null, message: T.busy };
      if (res.status === 403) return { kind: "refused", status: 403, message: T.refused, detail: detail };
      var ours = lang === "en" || res.status === 422;
      return { kind: "failed", status: res.status, message: (ours && detail) || t("failed", { status: res.status }) };
    });
  }

  function readAnswer(text) {
    var done = null, failed = null;
    text.split("\n\n").forEach(function (part) {
      var event = "message", data = "";
      part.split("\n").forEach(function (line) {
        if (line.indexOf("event: ") === 0) event = line.slice(7);
        else if (line.indexOf("data: ") === 0) data += line.slice(6);
      });
      if (!data) return;
      if (event === "done") done = JSON.parse(data);
      else if (event === "error") failed = JSON.parse(data).detail;
    });
    if (failed) throw { kind: "failed", status: 200, message: failed };
    if (!done) throw { kind: "failed", status: 200, message: T.cutOff };
    return done;
  }

  function ask(question) {
    var mine = new AbortController();
    controller = mine;
    pending(true);
    var previous = history();
    var asked = renderUser(question);
    var wait = renderBot("", "pending");
    wait.setAttribute("aria-busy", "true");
    wait.appendChild(document.createTextNode(T.waiting));
    var dots = el("span", { class: "dots", "aria-hidden": "true" });
    for (var i = 0; i < 3; i++) dots.appendChild(el("span", {}, "."));
    wait.appendChild(dots);
    var list = log.querySelector(".suggestions");
    if (list) list.remove();
    emit("ask", { question: question, role: presetRole || null });
    var body = { question: question, history: previous };
    if (presetRole) body.role = presetRole;
    return probe().then(function (result) {
      if (result.state === "refused") throw { kind: "refused", status: 403, message: T.refused };
      return fetch(api + "/api/ask/stream", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        signal: mine.signal
      });
    }).then(function (res) {
      if (!res.ok) return problem(res).then(function (p) { throw p; });
      // The server finds the whole answer before it sends the first event: render it once, from "done".
      return res.text().then(readAnswer);
    }).then(function (data) {
      if (controller !== mine) return null;
      var turn = {
        role: "assistant", text: data.answer || "", blocks: data.blocks || null, citations: data.citations || [],
        abstained: !!data.abstained, answerId: data.answer_id || null, answerRole: data.role || null, rating: null
      };
      state.turns.push({ role: "user", content: question }, turn);
      save();
      // An answer came: a notice that the advisor was down no longer holds, here or on the next open.
      registry._probes[api] = Promise.resolve({ state: "ok" });
      showAvailability({ state: "ok" });
      wait.remove();
      renderAnswer(turn);
      var detail = { question: question, answer: turn.text, answer_id: turn.answerId, abstained: turn.abstained,
        role: turn.answerRole };
      emit("answer", detail);
      return detail;
    }).catch(function (err) {
      if (controller !== mine) return null;  // a new chat was started meanwhile: this answer belongs to no one
      wait.remove();
      if (err && err.name === "AbortError") {
        failure(question, asked, { kind: "stopped", message: T.stopped }, false);
        return null;
      }
      if (!err || !err.kind) {
        // fetch() rejects when the network fails, or when the browser hides a refusal: ask the server again.
        return probe(true).then(function (result) {
          var p = result.state === "refused" ? { kind: "refused", status: 403, message: T.refused }
            : { kind: "unreachable", message: T.unreachable };
          failure(question, asked, p, true);
          return null;
        });
      }
      failure(question, asked, err, true);
      return null;
    }).then(function (result) {
      if (controller === mine) {
        var onStop = root.activeElement === stop;
        controller = null;
        pending(false);
        if (onStop) input.focus();  // the Stop button it was on is gone
      }
      return result;
    });
  }

  // A question that got no answer stays on screen, with Retry (and with the wait, after a 429).
  function failure(question, asked, p, report) {
    if (p.kind === "refused") { showAvailability({ state: "refused" }); return; }
    var box = renderBot(p.message, "error");
    var actions = el("div", { class: "actions" });
    var retry = el("button", { type: "button", class: "plain" }, T.retry);
    retry.addEventListener("click", function () {
      if (controller) return;
      box.remove();
      asked.remove();
      submit(question);
    });
    actions.appendChild(retry);
    box.appendChild(actions);
    if (report) {
      emit("error", { kind: p.kind, status: p.status || null, message: p.message, retry_after: p.retryAfter || null,
        question: question, during: "ask" });
    }
  }

  function submit(question) {
    question = String(question || "").trim();
    if (!question || controller || form.hidden) return Promise.resolve(null);
    return ask(question);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    // While an answer is pending, Enter and Ask do nothing: the typed text stays; only Stop cancels.
    if (controller) return;
    var question = input.value.trim();
    if (!question) return;
    input.value = "";
    submit(question);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });
  stop.addEventListener("click", function () {
    input.focus();
    if (controller) controller.abort();
  });
  newChat.addEventListener("click", function () {
    var running = controller;
    controller = null;
    pending(false);
    if (running) running.abort();
    state = { turns: [] };
    save();
    renderAll();
    input.focus();
  });

  // --- The JavaScript API: this widget, and window.RoleAdvisor for them all.
  var listeners = {};
  var widget = {
    id: inline ? "inline:" + opts.target : "launcher",
    inline: inline,
    element: host,
    open: open,
    close: close,
    ask: function (text) { open(); return submit(text); },
    on: function (name, fn) { (listeners[name] = listeners[name] || []).push(fn); return widget; },
    off: function (name, fn) {
      listeners[name] = (listeners[name] || []).filter(function (f) { return f !== fn; });
      return widget;
    }
  };
  function emit(name, detail) {
    detail.widget = widget.id;
    (listeners[name] || []).concat(registry._listeners[name] || []).forEach(function (fn) {
      try { fn(detail); } catch (e) { console.error("Role Advisor: a \"" + name + "\" listener failed:", e); }
    });
    window.dispatchEvent(new CustomEvent("role-advisor:" + name, { detail: detail }));
  }

  function globalRegistry() {
    var existing = window.RoleAdvisor;
    if (existing && existing._roleAdvisor) return existing;
    var all = [], handlers = {};
    function main() {
      for (var i = 0; i < all.length; i++) if (!all[i].inline) return all[i];
      return all[0] || null;
    }
    var created = {
      _roleAdvisor: 1,
      _listeners: handlers,
      _probes: {},
      widgets: all,
      main: main,
      open: function () { var w = main(); if (w) w.open(); },
      close: function () { var w = main(); if (w) w.close(); },
      ask: function (text) { var w = main(); return w ? w.ask(text) : Promise.resolve(null); },
      on: function (name, fn) { (handlers[name] = handlers[name] || []).push(fn); return created; },
      off: function (name, fn) {
        handlers[name] = (handlers[name] || []).filter(function (f) { return f !== fn; });
        return created;
      }
    };
    window.RoleAdvisor = created;
    return created;
  }

  registry.widgets.push(widget);
  renderAll();
  probe();
  if (!inline && opts.open === "true") open();
  window.dispatchEvent(new CustomEvent("role-advisor:ready", { detail: { widget: widget.id } }));
})();

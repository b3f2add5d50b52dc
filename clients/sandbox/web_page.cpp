#include "clients/sandbox/web_page.hpp"

namespace nocturna::sandbox {
namespace {

// Bot text is never assigned with innerHTML: renderTelegramHtml() builds DOM nodes for Telegram's
// allowed tags only and turns everything else into text nodes.
constexpr std::string_view page = R"PAGE(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Nocturna sandbox</title>
<style>
  :root { --bg:#0f1420; --panel:#171e2e; --bot:#222b40; --user:#2d5a88; --fg:#e6e9f0; --dim:#8a93a8; }
  * { box-sizing: border-box; }
  body { margin:0; font:15px/1.4 system-ui, sans-serif; background:var(--bg); color:var(--fg);
         display:flex; flex-direction:column; height:100vh; }
  header { display:flex; gap:8px; align-items:center; padding:8px 12px; background:var(--panel);
           flex-wrap:wrap; }
  header h1 { font-size:16px; margin:0 12px 0 0; }
  input, select, button { font:inherit; color:var(--fg); background:#0b101a; border:1px solid #33405c;
                          border-radius:6px; padding:5px 8px; }
  button { cursor:pointer; background:#2a3550; }
  button:hover { background:#34426a; }
  #log { flex:1; overflow-y:auto; padding:12px; display:flex; flex-direction:column; gap:8px; }
  .msg { max-width:75%; padding:8px 10px; border-radius:10px; white-space:pre-wrap;
         overflow-wrap:anywhere; }
  .bot { background:var(--bot); align-self:flex-start; }
  .user { background:var(--user); align-self:flex-end; }
  .meta { font-size:11px; color:var(--dim); margin-top:4px; }
  .msg img { max-width:100%; border-radius:6px; display:block; margin-bottom:4px; }
  .kbd { display:flex; flex-direction:column; gap:4px; margin-top:6px; }
  .kbd .row { display:flex; gap:4px; }
  .kbd button, .kbd a { flex:1; text-align:center; font-size:13px; }
  .kbd a { color:var(--fg); border:1px solid #33405c; border-radius:6px; padding:5px; }
  .spoiler { background:#555; color:transparent; border-radius:3px; }
  .spoiler:hover { color:inherit; background:none; }
  pre, code { font-family:ui-monospace, monospace; background:#0b101a; border-radius:4px; }
  pre { padding:6px; margin:4px 0; overflow-x:auto; }
  blockquote { border-left:3px solid var(--dim); margin:4px 0; padding-left:8px; }
  a { color:#7fb2ff; }
  footer { background:var(--panel); padding:8px 12px; display:flex; flex-direction:column; gap:6px; }
  footer form { display:flex; gap:6px; flex-wrap:wrap; }
  #text { flex:1; min-width:200px; }
  #replykbd .row { display:flex; gap:4px; margin-bottom:4px; }
  #replykbd button { flex:1; }
  #status { font-size:12px; color:var(--dim); }
  #inlinecards { display:flex; flex-direction:column; gap:4px; }
  #inlinecards .card { border:1px solid #33405c; border-radius:6px; padding:5px 8px; cursor:pointer; }
  #inlinecards .card .meta { margin:0; }
</style>
</head>
<body>
<header>
  <h1>Nocturna sandbox</h1>
  <label>chat <input id="chat" type="number" value="1" style="width:9em"></label>
  <select id="chats" title="known chats"><option value="">known chats…</option></select>
  <label>name <input id="name" value="Sandbox User" style="width:10em"></label>
  <span id="status"></span>
</header>
<div id="log"></div>
<footer>
  <div id="replykbd"></div>
  <form id="sendform">
    <input id="text" placeholder="Message or /command" autocomplete="off">
    <button type="submit">Send</button>
  </form>
  <form id="locform">
    <input id="lat" type="number" step="any" value="55.7558" style="width:8em" title="latitude">
    <input id="lon" type="number" step="any" value="37.6173" style="width:8em" title="longitude">
    <button type="submit">Send location</button>
  </form>
  <form id="inlineform" title="inline mode: @bot query typed in any chat">
    <input id="inlinequery" placeholder="inline query (@bot …)" autocomplete="off">
    <button type="submit">Ask inline</button>
  </form>
  <div id="inlinecards"></div>
</footer>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
let shownChat = null, shownVersion = -1;

function chatId() { return parseInt($("chat").value, 10) || 1; }
function sender() { return { id: chatId() > 0 ? chatId() : 1, first_name: $("name").value || "Sandbox User" }; }

async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
                                body: JSON.stringify(body) });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) $("status").textContent = "error: " + (j.error || r.status);
  shownVersion = -1;
  return j;
}

function sendText(text) {
  if (!text) return;
  post("/sandbox/send", { chat_id: chatId(), text: text, from: sender() });
}

function sendLocation() {
  post("/sandbox/location", { chat_id: chatId(), latitude: parseFloat($("lat").value),
                              longitude: parseFloat($("lon").value), from: sender() });
}

// Inline mode: the cards the bot answered; a click sends that card's text into the chat.
async function askInline(query) {
  const asked = await post("/sandbox/inline", { from_id: sender().id, query: query });
  if (!asked.inline_query_id) return;
  const box = $("inlinecards");
  box.textContent = "…";
  for (let i = 0; i < 60; ++i) {
    await new Promise((r) => setTimeout(r, 250));
    const r = await fetch("/sandbox/inline_answers?inline_query_id=" + asked.inline_query_id);
    const a = await r.json().catch(() => ({}));
    if (!a.answered) continue;
    box.textContent = "";
    for (const res of a.results || []) {
      const card = document.createElement("div");
      card.className = "card";
      const title = document.createElement("b");
      title.textContent = res.title || res.id;
      const meta = document.createElement("div");
      meta.className = "meta";
      meta.textContent = res.description || "";
      card.append(title, meta);
      const content = res.input_message_content || {};
      card.onclick = () => {
        const preview = document.createElement("div");
        preview.className = "msg bot";
        renderText(content.message_text || "", content.parse_mode, preview);
        $("log").appendChild(preview);
        box.textContent = "";
      };
      box.appendChild(card);
    }
    return;
  }
  box.textContent = "no answer";
}

function decodeEntities(s) {
  return s.replace(/&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);/g, (m, e) => {
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "amp") return "&";
    if (e === "quot") return '"';
    const n = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    try { return String.fromCodePoint(n); } catch (_) { return m; }
  });
}

function attr(attrs, name) {
  const m = new RegExp("(?:^|\\s)" + name + "\\s*=\\s*(\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))").exec(attrs);
  return m ? decodeEntities(m[2] ?? m[3] ?? m[4] ?? "") : null;
}

function safeUrl(u) { return u && /^(https?:\/\/|tg:\/\/)/i.test(u) ? u : null; }

// Telegram's allowed tags become elements; anything else stays text.
function elementFor(tag, attrs) {
  switch (tag) {
    case "b": case "strong": return document.createElement("b");
    case "i": case "em": return document.createElement("i");
    case "u": case "ins": return document.createElement("u");
    case "s": case "strike": case "del": return document.createElement("s");
    case "code": return document.createElement("code");
    case "pre": return document.createElement("pre");
    case "blockquote": return document.createElement("blockquote");
    case "tg-spoiler": { const e = document.createElement("span"); e.className = "spoiler"; return e; }
    case "span": { const e = document.createElement("span");
                   if (attr(attrs, "class") === "tg-spoiler") e.className = "spoiler"; return e; }
    case "tg-emoji": case "tg-time": return document.createElement("span");
    case "a": { const e = document.createElement("a"); const href = safeUrl(attr(attrs, "href"));
                if (href) { e.href = href; e.target = "_blank"; e.rel = "noopener noreferrer"; }
                return e; }
    default: return null;
  }
}

function renderTelegramHtml(src, parent) {
  const stack = [{ tag: null, el: parent }];
  const top = () => stack[stack.length - 1].el;
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf("<", i);
    const textEnd = lt < 0 ? src.length : lt;
    if (textEnd > i) top().appendChild(document.createTextNode(decodeEntities(src.slice(i, textEnd))));
    if (lt < 0) break;
    const gt = src.indexOf(">", lt);
    if (gt < 0) { top().appendChild(document.createTextNode(src.slice(lt))); break; }
    const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([\s\S]*)>$/.exec(src.slice(lt, gt + 1));
    if (!m) { top().appendChild(document.createTextNode(src.slice(lt, gt + 1))); i = gt + 1; continue; }
    const closing = m[1] === "/", tag = m[2].toLowerCase();
    if (closing) {
      const at = stack.map((f) => f.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
    } else {
      const el = elementFor(tag, m[3]);
      if (el) { top().appendChild(el); stack.push({ tag: tag, el: el }); }
    }
    i = gt + 1;
  }
}

function renderText(text, mode, parent) {
  if (mode && mode.toLowerCase() === "html") renderTelegramHtml(text, parent);
  else parent.appendChild(document.createTextNode(text));
}

function inlineKeyboard(m) {
  const box = document.createElement("div");
  box.className = "kbd";
  for (const row of m.reply_markup.inline_keyboard || []) {
    const r = document.createElement("div");
    r.className = "row";
    for (const b of row) {
      let el;
      if (b.url && safeUrl(b.url)) {
        el = document.createElement("a");
        el.href = safeUrl(b.url); el.target = "_blank"; el.rel = "noopener noreferrer";
      } else {
        el = document.createElement("button");
        if (b.callback_data !== undefined)
          el.onclick = () => post("/sandbox/press", { chat_id: chatId(), message_id: m.message_id,
                                                      data: b.callback_data, from: sender() });
      }
      el.textContent = b.text;
      r.appendChild(el);
    }
    box.appendChild(r);
  }
  return box;
}

function messageElement(m) {
  const div = document.createElement("div");
  div.className = "msg " + m.from;
  if (m.photo_file_id) {
    const img = document.createElement("img");
    img.src = "/sandbox/photo/" + encodeURIComponent(m.photo_file_id);
    img.alt = "photo";
    div.appendChild(img);
  }
  if (m.location) div.appendChild(document.createTextNode("📍 " + m.location.latitude + ", " + m.location.longitude));
  const body = m.text !== null ? m.text : m.caption;
  if (body !== null && body !== undefined) renderText(body, m.parse_mode, div);
  if (m.reply_markup && m.reply_markup.inline_keyboard) div.appendChild(inlineKeyboard(m));
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = "#" + m.message_id + " · " + new Date(m.date * 1000).toLocaleTimeString() +
                     (m.edited ? " · edited" : "");
  div.appendChild(meta);
  return div;
}

function replyKeyboard(messages) {
  const box = $("replykbd");
  box.replaceChildren();
  let markup = null;
  for (const m of messages) {
    if (m.from === "bot" && m.reply_markup && !m.reply_markup.inline_keyboard) markup = m.reply_markup;
  }
  if (!markup || !markup.keyboard) return;
  for (const row of markup.keyboard) {
    const r = document.createElement("div");
    r.className = "row";
    for (const b of row) {
      const text = typeof b === "string" ? b : b.text;
      const el = document.createElement("button");
      el.textContent = text;
      el.onclick = () => (b.request_location ? sendLocation() : sendText(text));
      r.appendChild(el);
    }
    box.appendChild(r);
  }
}

async function refresh() {
  try {
    const id = chatId();
    const r = await fetch("/sandbox/transcript?chat_id=" + id);
    const t = await r.json();
    if (id !== shownChat || t.version !== shownVersion) {
      const log = $("log");
      const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 30;
      log.replaceChildren(...t.messages.map(messageElement));
      replyKeyboard(t.messages);
      if (atBottom || id !== shownChat) log.scrollTop = log.scrollHeight;
      shownChat = id;
      shownVersion = t.version;
    }
    $("status").textContent = "";
  } catch (e) {
    $("status").textContent = "sandbox unreachable";
  }
}

async function refreshChats() {
  try {
    const r = await fetch("/sandbox/chats");
    const j = await r.json();
    const sel = $("chats");
    sel.replaceChildren(new Option("known chats…", ""));
    for (const c of j.chats) sel.appendChild(new Option(c.chat_id + " · " + (c.title || c.type), c.chat_id));
    const shown = String(chatId());
    sel.value = [...sel.options].some((o) => o.value === shown) ? shown : "";
  } catch (_) {}
}

// The chat shown is in the address (?chat=42), so a link or a reload opens that chat.
function showChat(id) {
  $("chat").value = id;
  const url = new URL(window.location.href);
  url.searchParams.set("chat", String(chatId()));
  history.replaceState(null, "", url);
  refresh();
}
const askedChat = parseInt(new URLSearchParams(window.location.search).get("chat"), 10);
if (Number.isSafeInteger(askedChat) && askedChat !== 0) $("chat").value = askedChat;

$("chats").onchange = (e) => { if (e.target.value) showChat(e.target.value); };
$("chat").onchange = () => showChat($("chat").value);
$("sendform").onsubmit = (e) => { e.preventDefault(); sendText($("text").value); $("text").value = ""; };
$("locform").onsubmit = (e) => { e.preventDefault(); sendLocation(); };
$("inlineform").onsubmit = (e) => { e.preventDefault(); askInline($("inlinequery").value); };
setInterval(refresh, 700);
setInterval(refreshChats, 3000);
refresh();
refreshChats();
</script>
</body>
</html>
)PAGE";

}  // namespace

std::string_view web_page_html() {
  return page;
}

}  // namespace nocturna::sandbox

/**
 * The sandbox page. Plain HTML and script, no build step: it renders Lark card JSON 2.0
 * (header, markdown, hr, buttons, column sets, forms with input, select and date picker, charts)
 * well enough to try every flow before a Lark app exists. A chart's VChart spec is drawn with the
 * same library Lark uses, served by the console itself (CONSOLE_VCHART_PATH; the page needs no
 * network), and loaded only when a card first has a chart.
 */

/** Where the console serves the VChart library (UMD build, the global VChart). */
export const CONSOLE_VCHART_PATH = '/console/vendor/vchart.js';

export const CONSOLE_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>信访助手 · 本地控制台</title>
<link rel="icon" href="data:,">
<style>
 body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f2f3f5;color:#1f2329}
 header{background:#3370ff;color:#fff;padding:10px 16px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
 header h1{font-size:17px;margin:0;flex:1}
 select,input,textarea,button{font:inherit}
 main{display:flex;gap:12px;padding:12px;max-width:1200px;margin:auto}
 #chat{flex:2;display:flex;flex-direction:column;height:calc(100vh - 80px)}
 #log{flex:1;overflow:auto;background:#fff;border-radius:8px;padding:12px}
 #side{flex:1;background:#fff;border-radius:8px;padding:12px;overflow:auto;height:calc(100vh - 104px)}
 .me{text-align:right;margin:8px 0}.me span{background:#d6e4ff;padding:6px 10px;border-radius:8px;display:inline-block;white-space:pre-wrap;text-align:left}
 .bot{margin:8px 0}.bot>.text{background:#f5f6f7;padding:6px 10px;border-radius:8px;display:inline-block;white-space:pre-wrap}
 .card{border:1px solid #dee0e3;border-radius:8px;max-width:520px;overflow:hidden;background:#fff}
 .card .hd{padding:8px 12px;color:#fff;font-weight:600}.card .bd{padding:8px 12px}
 .hd.blue{background:#3370ff}.hd.green{background:#34c724}.hd.red{background:#f54a45}.hd.orange{background:#ff8800}.hd.yellow{background:#d4b000}.hd.grey{background:#8f959e}.hd.wathet{background:#4fa6ff}.hd.turquoise{background:#2dbeab}.hd.violet{background:#7f3bf5}.hd.purple{background:#8e3bf5}.hd.indigo{background:#4954e6}.hd.carmine{background:#d83931}
 .md{white-space:pre-wrap;margin:4px 0;line-height:1.6}
 .card button{margin:4px 6px 4px 0;padding:4px 12px;border-radius:6px;border:1px solid #c9cdd4;background:#fff;cursor:pointer}
 .card button.primary,.card button.primary_filled{background:#3370ff;color:#fff;border-color:#3370ff}
 .card button.danger,.card button.danger_filled{color:#f54a45;border-color:#f54a45}
 .card label{display:block;font-size:13px;color:#646a73;margin-top:6px}
 .card input,.card select,.card textarea{width:100%;box-sizing:border-box;padding:4px 6px;border:1px solid #c9cdd4;border-radius:4px}
 form.send{display:flex;gap:8px;margin-top:8px}form.send textarea{flex:1;height:60px;padding:6px}
 .out{font-size:13px;border-bottom:1px solid #eee;padding:6px 0}
 .chart{width:100%;margin:6px 0;position:relative}.chart .err{color:#f54a45;font-size:13px}
</style></head>
<body>
<header><h1>信访助手 · 本地控制台</h1>
<label>当前用户 <select id="user"></select></label>
<label><input type="checkbox" id="group"> 在群里 @机器人</label></header>
<main>
<section id="chat"><div id="log"></div>
<form class="send" id="send"><textarea id="text" placeholder="输入消息，如：帮助 / 我是谁 / 登记（Ctrl+Enter 发送）"></textarea><button>发送</button></form></section>
<aside id="side"><b>机器人主动发出的消息</b><div id="outbox"></div></aside>
</main>
<script>
const token = new URLSearchParams(location.search).get('token') || '';
const H = {'content-type':'application/json', 'x-console-token': token};
const $ = (s) => document.querySelector(s);
const esc = (s) => String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
const md = (s) => esc(s).replace(/\\\\([\\\\*_~\`\\[\\]<>#|])/g, (m, c) => '&#' + c.charCodeAt(0) + ';').replace(/\\*\\*(.+?)\\*\\*/g,'<b>$1</b>');
const txt = (o) => o && typeof o === 'object' ? (o.content || '') : (o || '');
async function post(path, body){
  const r = await fetch('/console/api/' + path, {method:'POST', headers:H, body: JSON.stringify(body)});
  const j = await r.json().catch(() => ({error:'响应不是 JSON'}));
  if (!r.ok) return [{type:'text', text:'⚠ ' + (j.error || r.status)}];
  return j.replies;
}
let vchart = null;
function loadVChart(){
  if (!vchart) vchart = new Promise((ok, fail) => {
    const s = document.createElement('script'); s.src = '${CONSOLE_VCHART_PATH}';
    s.onload = () => ok(window.VChart); s.onerror = () => { vchart = null; fail(new Error('图表库加载失败')); };
    document.head.appendChild(s);
  });
  return vchart;
}
const ASPECT = {'1:1': 1, '2:1': 2, '4:3': 4/3, '16:9': 16/9};
function renderChart(el, d){
  d.className = 'chart'; d.dataset.chart = el.element_id || '';
  const h = /^(\\d+)px$/.exec(el.height || '');
  d.style.height = (h ? Number(h[1]) : Math.round(480 / (ASPECT[el.aspect_ratio] || 16/9))) + 'px';
  loadVChart().then((lib) => {
    const C = lib.VChart || lib.default || lib;
    const c = new C(el.chart_spec, {dom: d, animation: false});
    c.renderSync ? c.renderSync() : c.renderAsync();
  }).catch((e) => { d.innerHTML = '<div class="err">[图表无法显示：' + esc(e && e.message || e) + ']</div>'; });
}
function chatOpts(){ return $('#group').checked ? {chatType:'group', chatId:'console-group'} : {}; }
function renderEl(el, ctx){
  const d = document.createElement('div');
  switch (el.tag) {
    case 'markdown': case 'div': d.className='md'; d.innerHTML = md(el.content || txt(el.text)); break;
    case 'hr': d.innerHTML = '<hr>'; break;
    case 'column_set': (el.columns||[]).forEach(c => (c.elements||[]).forEach(e => { const x = renderEl(e, ctx); x.style.display='inline-block'; d.appendChild(x); })); break;
    case 'button': {
      const b = document.createElement('button'); b.textContent = txt(el.text); b.className = el.type || 'default';
      const value = ((el.behaviors||[]).find(x => x.type==='callback')||{}).value || el.value || {};
      if (el.form_action_type === 'submit' && ctx.form) { b.type='submit'; ctx.submitValue = value; ctx.submitLabel = txt(el.text); }
      else { b.type='button'; b.onclick = () => { if (el.confirm && !confirm(txt(el.confirm.text))) return; act(value, undefined, txt(el.text)); }; }
      d.appendChild(b); break; }
    case 'input': {
      d.innerHTML = '<label>' + esc(txt(el.label) || el.name) + (el.required?' *':'') + '</label>';
      const i = document.createElement(el.input_type === 'multiline_text' ? 'textarea' : 'input');
      i.name = el.name; i.placeholder = txt(el.placeholder); if (el.default_value) i.value = el.default_value; if (el.max_length) i.maxLength = el.max_length;
      d.appendChild(i); break; }
    case 'select_static': {
      d.innerHTML = '<label>' + esc(el.label || txt(el.placeholder) || el.name) + (el.required?' *':'') + '</label>';
      const s = document.createElement('select'); s.name = el.name;
      s.innerHTML = '<option value="">请选择</option>' + (el.options||[]).map(o => '<option value="'+esc(o.value)+'"'+(o.value===el.initial_option?' selected':'')+'>'+esc(txt(o.text))+'</option>').join('');
      d.appendChild(s); break; }
    case 'date_picker': {
      d.innerHTML = '<label>' + esc(el.label || txt(el.placeholder) || el.name) + '</label>';
      const i = document.createElement('input'); i.type='date'; i.name = el.name; if (el.initial_date) i.value = el.initial_date; d.appendChild(i); break; }
    case 'form': {
      const f = document.createElement('form'); const sub = {form:true};
      (el.elements||[]).forEach(e => f.appendChild(renderEl(e, sub)));
      f.onsubmit = (ev) => { ev.preventDefault(); const fv = {}; new FormData(f).forEach((v,k) => { if (v !== '') fv[k] = v; }); act(sub.submitValue || {}, fv, sub.submitLabel); };
      d.appendChild(f); break; }
    case 'chart': renderChart(el, d); break;
    default: d.className='md'; d.textContent = '[' + el.tag + ']';
  }
  return d;
}
function renderCard(c){
  const w = document.createElement('div'); w.className = 'card';
  if (c.header) w.innerHTML = '<div class="hd ' + esc(c.header.template||'blue') + '">' + esc(txt(c.header.title)) + (c.header.subtitle ? ' · ' + esc(txt(c.header.subtitle)) : '') + '</div>';
  const bd = document.createElement('div'); bd.className='bd';
  ((c.body && c.body.elements) || c.elements || []).forEach(e => bd.appendChild(renderEl(e, {})));
  w.appendChild(bd); return w;
}
function show(replies){
  for (const r of replies) {
    const d = document.createElement('div'); d.className='bot';
    if (r.type === 'text') { const s = document.createElement('span'); s.className='text'; s.textContent = r.text; d.appendChild(s); }
    else if (r.type === 'card') d.appendChild(renderCard(r.card));
    else if (r.type === 'file') { const a = document.createElement('a'); a.href = 'data:' + r.mime + ';base64,' + r.base64; a.download = r.name; a.textContent = '📎 ' + r.name; d.appendChild(a); }
    $('#log').appendChild(d);
  }
  $('#log').scrollTop = 1e9;
}
function me(t){ const d = document.createElement('div'); d.className='me'; const s = document.createElement('span'); s.textContent = t; d.appendChild(s); $('#log').appendChild(d); }
async function act(value, formValue, label){ me('〔点击〕' + (label || '按钮')); show(await post('actions', {user: $('#user').value, value, formValue, ...chatOpts()})); }
$('#send').onsubmit = async (ev) => { ev.preventDefault(); const t = $('#text').value; if (!t.trim()) return; $('#text').value=''; me(t); show(await post('messages', {user: $('#user').value, text: t, ...chatOpts()})); };
$('#text').onkeydown = (ev) => { if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) $('#send').requestSubmit(); };
let lastOut = 0;
async function poll(){
  try {
    const r = await fetch('/console/api/outbox?after=' + lastOut, {headers:H}); const j = await r.json();
    for (const m of j.messages || []) { lastOut = m.id; const d = document.createElement('div'); d.className='out';
      d.innerHTML = '<div>→ ' + esc(m.to || '') + ' · ' + esc(m.statusLabel || m.status) + '</div>';
      if (m.msgType === 'interactive') d.appendChild(renderCard(m.content)); else { const s = document.createElement('div'); s.className='md'; s.textContent = (m.content && m.content.text) || JSON.stringify(m.content); d.appendChild(s); }
      $('#outbox').prepend(d); }
  } catch (e) {}
  setTimeout(poll, 3000);
}
(async () => {
  const r = await fetch('/console/api/users', {headers:H}); const j = await r.json();
  const names = {admin:'管理员', staff:'登记员', leader:'领导', unit:'承办单位'};
  $('#user').innerHTML = (j.users||[]).map(u => '<option value="'+esc(u.id)+'">'+esc(u.name)+'（'+names[u.role]+(u.unit?'·'+esc(u.unit):'')+'）</option>').join('');
  if (!(j.users||[]).length) show([{type:'text', text:'数据库里还没有用户。请先运行 npx xinfang demo（示例县）或 npx xinfang users add。'}]);
  poll();
})();
</script></body></html>`;

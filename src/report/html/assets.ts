// The page's only style sheet and script, inlined: the report opens offline, from a mail attachment, anywhere.
// Light and dark (prefers-color-scheme), print (no buttons, pictures scaled to the page), phone (pictures
// scroll sideways, text wraps). No `<` or `&` in the CSS, so the page stays well-formed for a strict parser.

export const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--err:#cf222e;--warn:#9a6700;--info:#0969da;
--rq:#0969da;--rp:#1a7f37;--bad:#cf222e;--cite:#fff5b1;--active:#1f6feb;--standby:#8c959f;--listen:#c8d1da;--other:#bf8700;
--s0:#0969da;--s1:#bf3989;--s2:#1a7f37;--s3:#9a6700;--s4:#8250df;--s5:#57606a}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--err:#ff7b72;--warn:#d29922;--info:#58a6ff;
--rq:#58a6ff;--rp:#3fb950;--bad:#ff7b72;--cite:#3b3000;--active:#388bfd;--standby:#6e7681;--listen:#30363d;--other:#d29922;
--s0:#58a6ff;--s1:#f778ba;--s2:#3fb950;--s3:#d29922;--s4:#bc8cff;--s5:#9198a1}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main,header,nav,.wrap{max-width:1180px;margin:0 auto;padding:0 18px}
header{padding-top:18px}
h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05em;margin:0 0 .4em}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
a{color:var(--info)}
table{border-collapse:collapse;font-size:.9em;margin:.4em 0}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:var(--card);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.tablewrap,.scroll{overflow-x:auto;max-width:100%}
.badge{display:inline-block;border-radius:999px;padding:0 .6em;font-size:.8em;font-weight:600;color:#fff;vertical-align:.1em}
.badge.sev-error{background:var(--err)}.badge.sev-warning{background:var(--warn)}.badge.sev-info{background:var(--info)}
.badge.ok{background:var(--rp)}
.counts{display:flex;gap:1em;flex-wrap:wrap;margin:.3em 0 .8em}
.facts{display:flex;flex-wrap:wrap;gap:4px 8px;margin:.2em 0 .5em;padding:0}
.facts div{display:flex;gap:5px;align-items:baseline;background:var(--card);border:1px solid var(--line);border-radius:4px;padding:1px 7px}
.facts dt{font-size:.85em;color:var(--muted)}.facts dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
.line{margin:.5em 0 .2em}
.note{color:var(--muted);font-size:.9em}
.warnbox{border-left:4px solid var(--warn);background:var(--card);padding:6px 10px;margin:.5em 0}
nav ol{margin:.3em 0;padding-left:1.4em}
nav li{margin:.1em 0}
.byrule{list-style:none;padding-left:0}.byrule details{margin:0 0 .3em 1.2em}
.finding{border:1px solid var(--line);border-left:5px solid var(--line);border-radius:6px;padding:12px 14px;margin:14px 0;content-visibility:auto;contain-intrinsic-size:auto 760px}
.finding.sev-error{border-left-color:var(--err)}.finding.sev-warning{border-left-color:var(--warn)}.finding.sev-info{border-left-color:var(--info)}
.meta{color:var(--muted);font-size:.9em;margin:.2em 0 .6em}
figure{margin:.6em 0;padding:8px;background:var(--bg);border:1px solid var(--line);border-radius:6px}
figcaption{color:var(--muted);font-size:.85em;margin-top:4px}
.filter{display:flex;gap:8px;align-items:flex-start;margin:.5em 0;flex-wrap:wrap}
.filter code{flex:1 1 300px;background:var(--card);border:1px solid var(--line);border-radius:4px;padding:4px 6px;overflow-wrap:anywhere}
button{font:inherit;font-size:.85em;padding:3px 10px;border:1px solid var(--line);border-radius:4px;background:var(--card);color:var(--fg);cursor:pointer}
details summary{cursor:pointer;color:var(--muted)}
svg.defs{position:absolute;width:0;height:0;overflow:hidden}
.pic{display:block;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.pic text{font-size:11px;fill:var(--fg)}
.pic .lip{font-weight:600;font-size:12px}
.pic .lmac{font-family:ui-monospace,Menlo,Consolas,monospace;fill:var(--muted)}
.pic .lrole,.pic .gap{fill:var(--muted);font-style:italic}
.pic .lmac.bad,.pic .al.bad,.pic .x.bad,.pic .bkl{fill:var(--bad);font-weight:600}
.pic .x{font-size:15px}
.pic .fr{fill:var(--muted);font-family:ui-monospace,Menlo,Consolas,monospace}
.pic .fr.b{fill:var(--fg);font-weight:600}
.pic .tm,.pic .tk,.pic .axl{fill:var(--muted)}
.pic .tk{font-size:10px}
.pic .lk{fill:var(--info)}
.lane{fill:var(--card);stroke:var(--line)}.lane-bad{stroke:var(--bad);stroke-width:1.5}
.life{stroke:var(--line);stroke-width:2}
.cite{fill:var(--cite);opacity:.55}
.rq{stroke:var(--rq);stroke-width:1.8}.rp{stroke:var(--rp);stroke-width:1.8}
.rq.bad{stroke:var(--bad)}.rp.lost{stroke:var(--bad);stroke-width:1.8;stroke-dasharray:6 4}
.mk-q{fill:var(--rq)}.mk-r{fill:var(--rp)}.mk-x{fill:var(--bad)}
.gapl{stroke:var(--line);stroke-dasharray:2 3}
.bk{fill:none;stroke:var(--bad);stroke-width:1.5}
.dot{fill:var(--rq)}.dot.bad{fill:var(--bad)}
.ax{stroke:var(--muted)}.grid{stroke:var(--line);stroke-width:.6}
.s0{--c:var(--s0)}.s1{--c:var(--s1)}.s2{--c:var(--s2)}.s3{--c:var(--s3)}.s4{--c:var(--s4)}.s5{--c:var(--s5)}
.sl{stroke:var(--c);stroke-width:2.5;fill:none}.sl.dash{stroke-width:1.2;stroke-dasharray:3 3}
.pt{fill:var(--c);stroke:var(--bg);stroke-width:1.5}
.pic .wd{fill:var(--c);font-size:15px;font-weight:700}
.ring{fill:none;stroke:var(--muted);stroke-width:1.5}.ring.bad{stroke:var(--bad);stroke-width:2.5}
.band{stroke:var(--bg);stroke-width:.5}
.st-active{fill:var(--active)}.st-standby{fill:var(--standby)}.st-listen{fill:var(--listen)}.st-other{fill:var(--other)}
.pic .bl{fill:#fff;font-size:10px;font-weight:600}
.ovl{fill:var(--bad);fill-opacity:.16;stroke:var(--bad);stroke-dasharray:4 3}
.chg{fill:var(--warn)}
.tick{stroke-width:2;fill:none}
.tick.sev-error,.first.sev-error{stroke:var(--err)}.tick.sev-warning,.first.sev-warning{stroke:var(--warn)}.tick.sev-info,.first.sev-info{stroke:var(--info)}
.first{fill:var(--bg);stroke-width:2}
@media (max-width:600px){body{font-size:14px}main,header,nav,.wrap{padding:0 10px}.finding{padding:10px 8px}th,td{padding:2px 4px}}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--card:#f4f4f4;--cite:#fff3a0}
body{font-size:11pt}
button,nav .jump{display:none}
.finding{content-visibility:visible;break-inside:avoid-page;page-break-inside:avoid}
figure{break-inside:avoid}
.scroll,.tablewrap{overflow:visible}
.pic{max-width:100%;height:auto}
a{color:inherit;text-decoration:none}
}
`;

/** Copy buttons, and a marker (data-ready / data-errors on the html element) the browser test reads. */
export const SCRIPT = (EVIDENCE_ROWS: number) => `
(function(){
var root=document.documentElement,errors=[];
window.addEventListener('error',function(e){errors.push(String(e.message));root.setAttribute('data-errors',errors.join(' | '))});
function flash(b,t){b.textContent=t;setTimeout(function(){b.textContent='Copy filter'},1500)}
function fallback(b,el){var r=document.createRange();r.selectNodeContents(el);var s=window.getSelection();s.removeAllRanges();s.addRange(r);var ok=false;try{ok=document.execCommand('copy')}catch(x){}flash(b,ok?'Copied':'Selected: press Ctrl+C')}
document.addEventListener('click',function(e){
var b=e.target&&e.target.closest?e.target.closest('button[data-copy]'):null;if(!b)return;
var el=document.getElementById(b.getAttribute('data-copy'));if(!el)return;
if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(el.textContent).then(function(){flash(b,'Copied')},function(){fallback(b,el)})}else fallback(b,el)});
var data=document.getElementById('gwcheck-report');
var report=data?JSON.parse(data.textContent):null;
if(report)root.setAttribute('data-findings',String(report.findings.length));
var t0=Number(root.getAttribute('data-t0'))||0,several=root.getAttribute('data-several')==='1',byId=null;
function secs(iso){var m=/^(.{19})(?:[.]([0-9]+))?Z$/.exec(iso);return m?Date.parse(m[1]+'Z')/1000+(m[2]?Number('0.'+m[2]):0):NaN}
function rel(dt){var a=Math.abs(dt),s=dt<0?'\u2212':'+';if(a<60)return s+a.toFixed(a<10?3:1)+' s';if(a<3600)return s+Math.floor(a/60)+' min '+String(Math.floor(a%60)).padStart(2,'0')+' s';return s+Math.floor(a/3600)+' h '+String(Math.floor(a%3600/60)).padStart(2,'0')+' min'}
function fill(d){
var id=d.getAttribute('data-lazy');if(!id||!report)return;d.removeAttribute('data-lazy');
if(!byId){byId={};report.findings.forEach(function(f){byId[f.id]=f})}
var f=byId[id],body=d.querySelector('tbody');if(!f||!body)return;
f.evidence.items.slice(0,${EVIDENCE_ROWS}).forEach(function(i){var tr=document.createElement('tr');
var cells=[String(i.frame),rel(secs(i.time)-t0)];if(several)cells.push(i.file||String(i.input));cells.push(i.role);
cells.forEach(function(c,k){var td=document.createElement('td');td.textContent=c;if(k===0)td.className='num';if(k===1)td.title=i.time;tr.appendChild(td)});body.appendChild(tr)})}
document.addEventListener('toggle',function(e){if(e.target&&e.target.open)fill(e.target)},true);
window.addEventListener('beforeprint',function(){var l=document.querySelectorAll('main details');for(var k=0;k!==l.length;k++){fill(l[k]);l[k].open=true}});
root.setAttribute('data-ready','1');
})();
`;

/** Arrow heads, defined once for every picture of the page. */
export const SVG_DEFS =
  '<svg class="defs" aria-hidden="true" focusable="false"><defs>' +
  ['q', 'r', 'x']
    .map(
      (k) =>
        `<marker id="gw-a${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="mk-${k}"/></marker>`,
    )
    .join('') +
  '</defs></svg>';

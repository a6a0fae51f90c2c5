/**
 * Markdown written to attack whoever views it: raw HTML, link and image schemes, attribute
 * breakouts, DOM clobbering, CSS injection, KaTeX commands, Mermaid callbacks. Shared by the
 * renderer's unit tests and (later) the two-browser XSS test. Each payload, if it worked, would
 * run `alert(1)`, navigate, load something, or change the page; rendered, all must be inert.
 */
export interface HostilePayload {
  readonly name: string;
  readonly source: string;
}

const RAW_HTML: readonly HostilePayload[] = [
  { name: 'script tag', source: '<script>alert(1)</script>' },
  { name: 'script tag inline', source: 'text <script>alert(1)</script> text' },
  { name: 'img onerror', source: '<img src=x onerror=alert(1)>' },
  { name: 'svg onload', source: '<svg onload=alert(1)>' },
  { name: 'svg with script', source: '<svg><script>alert(1)</script></svg>' },
  { name: 'svg use href', source: '<svg><use href="data:image/svg+xml,<svg id=x/>#x"/></svg>' },
  { name: 'iframe srcdoc', source: '<iframe srcdoc="<script>alert(1)</script>"></iframe>' },
  { name: 'iframe javascript', source: '<iframe src=javascript://%0aalert(1)>' },
  { name: 'form action', source: '<form action=javascript:alert(1)><button>go</button></form>' },
  { name: 'button formaction', source: '<button formaction=javascript:alert(1)>go</button>' },
  {
    name: 'meta refresh',
    source: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  },
  { name: 'base href', source: '<base href="javascript:alert(1)//">' },
  { name: 'object data', source: '<object data="javascript:alert(1)"></object>' },
  { name: 'embed src', source: '<embed src="javascript:alert(1)">' },
  { name: 'style element', source: '<style>body{display:none}</style>' },
  { name: 'style attribute', source: '<div style="background:url(javascript:alert(1))">x</div>' },
  { name: 'link stylesheet', source: '<link rel=stylesheet href=https://evil.example/x.css>' },
  { name: 'details ontoggle', source: '<details open ontoggle=alert(1)>' },
  { name: 'clobber by id', source: '<a id="__coeditText">x</a>' },
  { name: 'clobber by name', source: '<img name="getElementById"><form name="location">' },
  {
    name: 'mXSS via math/style',
    source: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  },
  {
    name: 'mXSS via noscript',
    source: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  },
  { name: 'html comment breakout', source: '<!--><img src=x onerror=alert(1)>-->' },
];

const LINKS_AND_IMAGES: readonly HostilePayload[] = [
  { name: 'javascript link', source: '[x](javascript:alert(1))' },
  { name: 'javascript link, mixed case', source: '[x](JaVaScRiPt:alert(1))' },
  { name: 'javascript link, entity', source: '[x](&#106;avascript:alert(1))' },
  { name: 'javascript link, hex entity', source: '[x](&#x6A;avascript:alert(1))' },
  { name: 'javascript link, tab', source: '[x](java&#9;script:alert(1))' },
  { name: 'javascript link, pointy', source: '[x](<javascript:alert(1)>)' },
  { name: 'javascript link, title', source: '[x](javascript:alert(1) "t")' },
  { name: 'javascript reference', source: '[x]\n\n[x]: javascript:alert(1)' },
  { name: 'javascript autolink', source: '<javascript:alert(1)>' },
  { name: 'vbscript link', source: '[x](vbscript:msgbox(1))' },
  { name: 'data html link', source: '[x](data:text/html,<script>alert(1)</script>)' },
  {
    name: 'data base64 link',
    source: '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  },
  { name: 'javascript image', source: '![x](javascript:alert(1))' },
  {
    name: 'data svg image',
    source: '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+)',
  },
  { name: 'data png image', source: '![x](data:image/png;base64,iVBORw0KGgo=)' },
  { name: 'file link', source: '[x](file:///etc/passwd)' },
  { name: 'href attribute breakout', source: '[x](https://e.x/"onmouseover="alert(1))' },
  { name: 'src attribute breakout', source: '![x](https://e.x/"onerror="alert(1))' },
  { name: 'alt attribute breakout', source: '![" onerror="alert(1)" x="](https://e.x/a.png)' },
  { name: 'title attribute breakout', source: '[x](https://e.x "\\" onclick=\\"alert(1)")' },
  { name: 'protocol-relative backslash', source: '[x](\\\\evil.example/share)' },
];

const GENERATED_IDS_AND_CODE: readonly HostilePayload[] = [
  { name: 'heading named like a global', source: '# location\n\n# __coeditText\n\n# alert' },
  { name: 'heading with markup', source: '# "><img src=x onerror=alert(1)>' },
  { name: 'footnote named like a global', source: 'x[^location]\n\n[^location]: note' },
  { name: 'fence info breakout', source: '```js" onclick="alert(1)\nx\n```' },
  { name: 'fence with html', source: '```html\n<script>alert(1)</script>\n```' },
  { name: 'task item with html', source: '- [ ] <img src=x onerror=alert(1)>' },
  { name: 'table cell html', source: '| a |\n|---|\n| <script>alert(1)</script> |' },
];

const mermaid = (name: string, lines: readonly string[]): HostilePayload => ({
  name: `mermaid ${name}`,
  source: ['```mermaid', ...lines, '```'].join('\n'),
});

/**
 * Mermaid diagrams, each one Mermaid parses and draws (the XSS test checks that every one of
 * them is drawn, so none is inert merely by failing to parse).
 */
export const DIAGRAMS: readonly HostilePayload[] = [
  mermaid('click callback', [
    'graph TD',
    'A-->B',
    'click A callback "x"',
    'click B "javascript:alert(1)"',
  ]),
  mermaid('click call', ['graph TD', 'A-->B', 'click A call alert(1)']),
  mermaid('click href javascript', [
    'graph TD',
    'A-->B',
    'click A href "javascript:alert(1)" _blank',
  ]),
  mermaid('html label', ['graph TD', 'A["<img src=x onerror=alert(1)>"]']),
  mermaid('markdown label', ['graph TD', 'A["`**b** <img src=x onerror=alert(1)>`"]-->B']),
  mermaid('init loose', [
    '%%{init: {"securityLevel": "loose", "secure": []}}%%',
    'graph TD',
    'A-->B',
    'click A call alert(1)',
  ]),
  mermaid('init html labels', [
    '%%{init: {"htmlLabels": true, "flowchart": {"htmlLabels": true}}}%%',
    'graph TD',
    'A["<img src=x onerror=alert(1)>"]-->B',
  ]),
  mermaid('init themeCSS', [
    '%%{init: {"themeCSS": "svg { background: url(https://evil.example/t.png) } body { display: none }"}}%%',
    'graph TD',
    'A-->B',
  ]),
  mermaid('init themeVariables', [
    '%%{init: {"theme": "base", "themeVariables": {"primaryColor": "#f00", "fontFamily": "x; background: url(https://evil.example/v.png)"}}}%%',
    'graph TD',
    'A-->B',
  ]),
  mermaid('init dompurifyConfig', [
    '%%{init: {"dompurifyConfig": {"ADD_TAGS": ["script", "img"], "ADD_ATTR": ["onerror"]}}}%%',
    'graph TD',
    'A["<img src=x onerror=alert(1)>"]-->B',
  ]),
  mermaid('classDef and style breakout', [
    'graph TD',
    'A-->B',
    'classDef evil fill:#f00,font-size:999px',
    'class A evil',
    'style B color:red,position:fixed,top:0,left:0,width:100vw,height:100vh',
  ]),
  mermaid('node ids named like globals', [
    'graph TD',
    '__coeditText-->getElementById',
    'location-->alert',
  ]),
  mermaid('sequence link', [
    'sequenceDiagram',
    'participant A',
    'link A: Evil @ javascript:alert(1)',
    'A->>A: <img src=x onerror=alert(1)>',
  ]),
];

const MATH: readonly HostilePayload[] = [
  { name: 'katex href', source: '$\\href{javascript:alert(1)}{click}$' },
  { name: 'katex url', source: '$\\url{javascript:alert(1)}$' },
  { name: 'katex htmlData', source: '$\\htmlData{foo=x, onclick=alert(1)}{x}$' },
  { name: 'katex htmlId', source: '$\\htmlId{location}{x}$' },
  { name: 'katex htmlClass', source: '$\\htmlClass{x}{y}$' },
  { name: 'katex htmlStyle', source: '$\\htmlStyle{background:url(https://evil.example)}{y}$' },
  { name: 'katex includegraphics', source: '$\\includegraphics{https://evil.example/a.png}$' },
  {
    name: 'katex includegraphics javascript',
    source: '$$\\includegraphics[height=1em]{javascript:alert(1)}$$',
  },
  { name: 'katex colour injection', source: '$\\color{red;background:url(x)}{x}$' },
  { name: 'katex textcolor expression', source: '$\\textcolor{expression(alert(1))}{x}$' },
  { name: 'katex expansion bomb', source: '$\\def\\x{\\x\\x}\\x$' },
  { name: 'katex gdef leak', source: '$\\gdef\\a{\\href{javascript:alert(1)}{x}}$ $\\a$' },
  { name: 'katex huge rule', source: '$\\rule{100000em}{100000em}$' },
  { name: 'katex error with html', source: '$\\frac{<img src=x onerror=alert(1)>$' },
];

export const HOSTILE_CORPUS: readonly HostilePayload[] = [
  ...RAW_HTML,
  ...LINKS_AND_IMAGES,
  ...GENERATED_IDS_AND_CODE,
  ...DIAGRAMS,
  ...MATH,
];

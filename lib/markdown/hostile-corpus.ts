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
  {
    name: 'mermaid click callback',
    source: '```mermaid\ngraph TD\nA-->B\nclick A callback "x"\nclick B "javascript:alert(1)"\n```',
  },
  {
    name: 'mermaid html label',
    source: '```mermaid\ngraph TD\nA["<img src=x onerror=alert(1)>"]\n```',
  },
  { name: 'task item with html', source: '- [ ] <img src=x onerror=alert(1)>' },
  { name: 'table cell html', source: '| a |\n|---|\n| <script>alert(1)</script> |' },
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
  ...MATH,
];

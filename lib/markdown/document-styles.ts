/**
 * The stylesheet of a rendered document: the preview frame's and the standalone HTML export's
 * (the frame adds its own layout around it). Follows the system colour scheme; `tok-*` classes
 * colour highlighted code (the classes @lezer/highlight's classHighlighter writes).
 */
export const DOCUMENT_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0;
  --code-bg: #f6f8fa; --link: #0958c8; --kw: #cf222e; --str: #0a3069; --num: #0550ae;
  --com: #59636e; --fn: #6639ba; --type: #953800; --err: #d1242f; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1;
  --border: #3d444d; --code-bg: #151b23; --link: #6cb6ff; --kw: #ff7b72; --str: #a5d6ff;
  --num: #79c0ff; --com: #9198a1; --fn: #d2a8ff; --type: #ffa657; --err: #ff7b72; } }
body { color: var(--fg); font: 15px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif;
  overflow-wrap: break-word; }
a { color: var(--link); }
:focus-visible { outline: 2px solid var(--link); outline-offset: 2px; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.3em 0 0.5em; }
h1 { font-size: 1.9em; border-bottom: 1px solid var(--border); padding-bottom: 0.2em; }
h2 { font-size: 1.45em; border-bottom: 1px solid var(--border); padding-bottom: 0.2em; }
p, ul, ol, blockquote, pre, table { margin: 0 0 0.9em; }
blockquote { margin-left: 0; padding: 0 1em; color: var(--muted); border-left: 4px solid var(--border); }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--code-bg);
  padding: 0.15em 0.3em; border-radius: 4px; }
/* Code wraps like the editor's soft-wrapped source, so no block needs sideways scrolling. */
pre { background: var(--code-bg); padding: 12px 14px; border-radius: 6px; overflow-x: auto;
  white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--border); padding: 5px 12px; }
th { font-weight: 600; }
img { max-width: 100%; }
hr { border: none; border-top: 1px solid var(--border); }
.task-list-item { list-style: none; }
.task-list-item-checkbox { margin: 0 0.4em 0 -1.3em; vertical-align: middle; }
.contains-task-list { padding-left: 1.6em; }
.math-block { overflow-x: auto; margin: 0 0 0.9em; }
.math-source { font-family: ui-monospace, monospace; color: var(--muted); }
.footnotes { font-size: 0.9em; color: var(--muted); }
.mermaid-diagram { margin: 0 0 0.9em; overflow-x: auto; text-align: center; }
.mermaid-diagram svg { max-width: 100%; height: auto; }
.mermaid-error { text-align: left; padding: 8px 12px; border: 1px solid var(--err);
  border-radius: 6px; color: var(--err); }
.mermaid-error pre { margin: 6px 0 0; padding: 0; background: none; white-space: pre-wrap; }
.mermaid-diagram > pre { text-align: left; }
.render-truncated { color: var(--muted); font-style: italic; }
.tok-keyword, .tok-operatorKeyword, .tok-controlKeyword { color: var(--kw); }
.tok-string, .tok-string2 { color: var(--str); }
.tok-number, .tok-bool, .tok-atom, .tok-literal { color: var(--num); }
.tok-comment { color: var(--com); font-style: italic; }
.tok-variableName.tok-definition, .tok-function { color: var(--fn); }
.tok-typeName, .tok-className, .tok-propertyName.tok-definition { color: var(--type); }
.tok-heading { font-weight: 600; }
.tok-emphasis { font-style: italic; }
.tok-strong { font-weight: 600; }
`;

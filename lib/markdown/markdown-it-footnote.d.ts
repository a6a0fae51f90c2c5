declare module 'markdown-it-footnote' {
  import type { PluginSimple } from 'markdown-it';

  const footnotePlugin: PluginSimple;
  export default footnotePlugin;
}

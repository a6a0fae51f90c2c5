import type { MarkdownIt, StateCore, Token } from 'markdown-it';

/**
 * GFM task lists: a list item whose text starts with `[ ]` or `[x]` gets a checkbox. The box
 * carries the item's source line (`data-task-line`, 0-based) so a click in the preview can
 * toggle the `[ ]`/`[x]` on that line of the shared text as an ordinary edit. The box and the
 * item's first paragraph sit in one `<label>`, so the box is named by the task's text.
 */

const TASK_MARKER = /^\[([ xX])\](?=[ \t]|$)/;

export interface TaskListOptions {
  /** Editors get enabled boxes (clicks toggle the source); readers get disabled ones. */
  readonly interactive: boolean;
}

export function taskListPlugin(md: MarkdownIt, options: TaskListOptions): void {
  md.core.ruler.after('inline', 'task_lists', (state) => markTaskItems(state));
  md.renderer.rules.task_checkbox = (tokens, idx) => {
    const token = tokens[idx];
    const checked = token?.meta?.checked === true ? ' checked' : '';
    const disabled = options.interactive ? '' : ' disabled';
    const line = token?.meta?.line ?? 0;
    return `<input type="checkbox" class="task-list-item-checkbox" data-task-line="${line}"${checked}${disabled}> `;
  };
  md.renderer.rules.task_label_open = () => '<label class="task-list-item-label">';
  md.renderer.rules.task_label_close = () => '</label>';
}

function markTaskItems(state: StateCore): void {
  const tokens = state.tokens;
  const openLists: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      openLists.push(token);
    } else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') {
      openLists.pop();
    } else if (token.type === 'inline' && i >= 2) {
      const item = tokens[i - 2];
      if (tokens[i - 1]?.type !== 'paragraph_open' || item?.type !== 'list_item_open') continue;
      if (!item.map || !addCheckbox(state, token, item.map[0])) continue;
      item.attrJoin('class', 'task-list-item');
      const list = openLists.at(-1);
      if (list && !list.attrGet('class')) list.attrSet('class', 'contains-task-list');
    }
  }
}

/** Turns a leading `[ ]`/`[x]` of an item's first paragraph into a checkbox token. */
function addCheckbox(state: StateCore, inline: Token, line: number): boolean {
  const first = inline.children?.[0];
  const match = first?.type === 'text' ? TASK_MARKER.exec(first.content) : null;
  if (!first || !match) return false;
  first.content = first.content.slice(match[0].length).replace(/^[ \t]/, '');
  const checkbox = new state.Token('task_checkbox', 'input', 0);
  checkbox.meta = { checked: match[1] !== ' ', line };
  inline.children?.unshift(new state.Token('task_label_open', 'label', 1), checkbox);
  inline.children?.push(new state.Token('task_label_close', 'label', -1));
  return true;
}

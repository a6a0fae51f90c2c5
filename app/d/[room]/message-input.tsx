'use client';

import type { TextareaHTMLAttributes } from 'react';
import panel from './sidebar-panel.module.css';

/**
 * A box for a chat or comment message: Enter calls `onSubmit`, Shift+Enter breaks the line,
 * Escape calls `onCancel`, and an Enter that ends an IME composition does neither.
 */
export function MessageInput({
  onSubmit,
  onCancel,
  ...textarea
}: TextareaHTMLAttributes<HTMLTextAreaElement> & {
  onSubmit: () => void;
  onCancel?: () => void;
}) {
  return (
    <textarea
      className={panel.input}
      {...textarea}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && onCancel) {
          onCancel();
          return;
        }
        if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
        event.preventDefault();
        onSubmit();
      }}
    />
  );
}

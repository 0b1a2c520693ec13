// A modal side panel on the native <dialog>: focus moves into it, Escape closes it, and focus
// goes back to what opened it.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Panel({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    if (!dialog.open) dialog.showModal();
    const closed = () => onClose();
    dialog.addEventListener('close', closed);
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, [onClose]);
  return (
    <dialog
      ref={ref}
      class={wide === true ? 'panel wide' : 'panel'}
      aria-label={title}
      // A click on the backdrop (outside the panel's box) closes it too.
      onClick={(e) => {
        if (ref.current !== null && e.target === ref.current) ref.current.close();
      }}
    >
      <header class="panel-head">
        <h2>{title}</h2>
        <button type="button" class="secondary" onClick={() => ref.current?.close()}>
          Close
        </button>
      </header>
      <div class="panel-body">{children}</div>
    </dialog>
  );
}

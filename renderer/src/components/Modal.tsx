import { useEffect, useRef } from 'react';

/**
 * A modal dialog: Escape cancels, focus moves inside on open and returns to the opener on close. The body
 * decides what Enter does (the confirm dialogs confirm on Enter).
 */
export function Modal({
  title,
  onCancel,
  children,
  testId,
}: {
  title: string;
  onCancel: () => void;
  children: React.ReactNode;
  testId?: string;
}): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  // The latest onCancel, so the mount effect below runs once and focus is not bounced on every re-render.
  const cancelRef = useRef(onCancel);
  cancelRef.current = onCancel;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        cancelRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    if (ref.current && !ref.current.contains(document.activeElement)) {
      ref.current.querySelector<HTMLElement>('[autofocus], input, textarea, select, button')?.focus();
    }
    return () => {
      window.removeEventListener('keydown', onKey);
      opener?.focus?.();
    };
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} ref={ref} data-testid={testId}>
        <h2 className="modal-title">{title}</h2>
        {children}
      </div>
    </div>
  );
}

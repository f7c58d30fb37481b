import type { RampartError } from '../../../shared/errors';

/** An error as the user should see it: the code (what kind of failure) and the core's message (what exactly). */
export function ErrorNotice({
  error,
  title,
  children,
}: {
  error: RampartError;
  title?: string;
  children?: React.ReactNode;
}): React.JSX.Element {
  return (
    <div className="notice notice-error" role="alert" data-testid="error-notice" data-error-code={error.code}>
      <span className="code-chip">{error.code}</span>
      <span>
        {title && <strong>{title}: </strong>}
        {error.message}
      </span>
      {children}
    </div>
  );
}

/**
 * Where a flag is still read in the configured local source folders (issue 14): file:line with two lines of context,
 * how each folder was searched, and "no references: safe to archive" only after a complete search.
 */
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { errorFacts } from '../../../../shared/errors';

export function CodeRefsPanel({ flagKey, onSettings }: { flagKey: string; onSettings: () => void }): React.JSX.Element {
  const refs = useQuery('lifecycle:refs', { flagKeys: [flagKey] });
  if (refs.error) {
    return errorFacts(refs.error).refusal === 'no_source_folder' ? (
      <div className="notice notice-info small" data-testid="refs-no-roots">
        No source folder to search yet. Point Rampart at your local git working trees —
        <button type="button" className="link-button" onClick={onSettings}>
          add a folder
        </button>
        ; nothing leaves this machine.
      </div>
    ) : (
      <ErrorNotice error={refs.error} title="Code references" />
    );
  }
  if (!refs.data) return <div className="empty">Searching the source folders…</div>;
  const found = refs.data.flags[0];
  return (
    <div className="code-refs" data-testid="code-refs">
      <ul className="refs-roots small">
        {refs.data.roots.map((r) => (
          <li key={r.root} className={r.incomplete ? 'refs-incomplete' : ''}>
            <code>{r.root}</code>
            <span className="muted">
              {' '}
              ·{' '}
              {r.method === 'git'
                ? `git ${r.commit?.slice(0, 8) ?? '(no commit)'}${r.dirty ? ' + uncommitted edits' : ''}`
                : 'no git: folder walked with its .gitignore'}{' '}
              · {r.cached ? 'cached for this tree' : `${r.filesSearched} files in ${r.durationMs} ms`}
            </span>
            {r.incomplete && <span className="refs-warn"> — incomplete: {r.incomplete}</span>}
          </li>
        ))}
      </ul>
      {found.refs.length === 0 ? (
        found.safeToArchive ? (
          <div className="notice notice-info refs-safe" data-testid="refs-safe">
            No references: safe to archive <code>{flagKey}</code>.
          </div>
        ) : (
          <div className="notice notice-warn small">
            No reference found, but a search did not finish: that is not proof the flag is unused.
          </div>
        )
      ) : (
        <>
          <div className="small">
            <strong>
              {found.refs.length}
              {found.truncated ? '+' : ''}
            </strong>{' '}
            place{found.refs.length === 1 ? '' : 's'} still read <code>{flagKey}</code> — remove them before archiving:
          </div>
          {found.refs.map((ref) => (
            <div className="code-ref" key={`${ref.root}:${ref.file}:${ref.line}`} data-testid="code-ref">
              <div className="code-ref-where">
                <code>
                  {ref.file}:{ref.line}
                </code>
                <span className="muted small"> col {ref.column}</span>
              </div>
              <pre className="code-ref-lines">
                {ref.before.map((l, i) => (
                  <span key={`b${i}`} className="ctx">
                    <span className="ln">{ref.line - ref.before.length + i}</span>
                    {l}
                    {'\n'}
                  </span>
                ))}
                <span className="hit">
                  <span className="ln">{ref.line}</span>
                  {ref.text}
                  {'\n'}
                </span>
                {ref.after.map((l, i) => (
                  <span key={`a${i}`} className="ctx">
                    <span className="ln">{ref.line + 1 + i}</span>
                    {l}
                    {'\n'}
                  </span>
                ))}
              </pre>
            </div>
          ))}
        </>
      )}
    </div>
  );
}

/**
 * Live preview of a watch being edited (watches:preview): per metric, the rendered query, how many series it
 * matches (with their labels), the newest value, the arms the variant values fall into, and — when it matches
 * nothing — "no series match X; did you mean Y?" with the provider's names to pick from; a query that could not be
 * tried shows the failure's code and message. Debounced; nothing is saved.
 */
import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../../shared/contract';
import type { Watch } from '../../../../shared/domain/metrics';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';

type Preview = ResponseOf<'watches:preview'>;
const DEBOUNCE_MS = 500;

export function WatchPreview({
  watch,
  onSuggestion,
}: {
  watch: Watch | null;
  onSuggestion?: (metric: string, name: string) => void;
}): React.JSX.Element {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = watch ? JSON.stringify(watch) : '';
  useEffect(() => {
    if (!watch) return undefined;
    let cancelled = false;
    const timer = window.setTimeout(() => {
      setBusy(true);
      api.call('watches:preview', { watch }).then(
        (p) => {
          if (cancelled) return;
          setPreview(p);
          setError(null);
          setBusy(false);
        },
        (e: unknown) => {
          if (cancelled) return;
          setError(asRampartError(e).message);
          setBusy(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
    // The serialized watch is the dependency: a new object with the same content must not refetch.
  }, [key]);
  if (!watch)
    return (
      <div className="small muted">
        Fill in the flag, the metrics connection and a selector to see what the queries match.
      </div>
    );
  return (
    <div className="watch-preview" data-testid="watch-preview" data-ok={preview?.ok ?? ''} data-busy={busy}>
      <div className="card-title">Live preview {busy && <span className="muted">· trying the queries…</span>}</div>
      {error && <div className="field-error">{error}</div>}
      {preview && (
        <>
          <div className={preview.ok ? 'small ok-text' : 'small warn-text'} data-testid="watch-preview-message">
            {preview.message}
          </div>
          <div className="small muted">
            arms: treatment {preview.arms.treatment.join('|') || '—'} vs control {preview.arms.control.join('|') || '—'}{' '}
            ({preview.arms.source}) · one sample every {preview.stepSec} s
          </div>
          <table className="table preview-table">
            <tbody>
              {preview.parts.map((p, i) => (
                <tr
                  key={`${p.metric}-${p.part}-${i}`}
                  data-testid="preview-part"
                  data-metric={p.metric}
                  data-part={p.part}
                  data-matched={p.matched}
                  data-error-code={p.error?.code}
                >
                  <td className="nowrap">
                    {p.metric} <span className="muted small">{p.part}</span>
                  </td>
                  <td className={p.matched > 0 && !p.error ? 'ok-text nowrap' : 'warn-text nowrap'}>
                    {p.error ? <span className="code-chip">{p.error.code}</span> : `${p.matched} series`}
                  </td>
                  <td className="small">
                    <div>{p.error?.message ?? p.message}</div>
                    {p.variants.length > 0 && (
                      <div className="muted">
                        {p.variants.map((v) => `${v.value} → ${v.arm ?? 'neither arm'}`).join(' · ')}
                      </div>
                    )}
                    {p.suggestions.length > 0 && onSuggestion && (
                      <div>
                        did you mean:{' '}
                        {p.suggestions.slice(0, 4).map((s) => (
                          <button
                            key={s}
                            type="button"
                            className="link-button"
                            onClick={() => onSuggestion(p.metric, s)}
                            data-testid="preview-suggestion"
                          >
                            {s}
                          </button>
                        ))}
                      </div>
                    )}
                    <code className="query small muted">{p.query}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

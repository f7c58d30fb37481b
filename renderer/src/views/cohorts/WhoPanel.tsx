/** Who is in it: enabled or not, the targeting summary, the treatment and control variants and the configured split. */
import type { EnvState } from '../../../../shared/domain/flags';
import { formatPercent } from '../../lib/format';
import { formatDuration } from '../../lib/time';
import { configuredSplit } from './cohort-model';

export function WhoPanel({
  env,
  description,
  stale,
}: {
  env: EnvState;
  description: string | undefined;
  stale: { ageMs: number; message: string } | null;
}): React.JSX.Element {
  const split = configuredSplit(env);
  return (
    <section className="panel cohort-card" data-testid="cohort-who" aria-label="Who is in it">
      <div className="card-title">Who is in it</div>
      {stale && (
        <div className="banner banner-warn small">
          Last known state from {formatDuration(stale.ageMs)} ago — {stale.message}
        </div>
      )}
      <dl className="cohort-facts">
        <dt>state</dt>
        <dd>
          <span className={env.enabled ? 'state-dot on' : 'state-dot off'} />{' '}
          <strong data-testid="cohort-enabled" data-enabled={env.enabled}>
            {env.enabled ? 'enabled' : 'disabled'}
          </strong>
        </dd>
        <dt>targeting</dt>
        <dd data-testid="cohort-targeting">
          {env.targeting ?? <span className="muted">no targeting summary from the store</span>}
        </dd>
        <dt>treatment</dt>
        <dd>
          <code className="variant-chip treatment">{env.treatment ?? '—'}</code>
        </dd>
        <dt>control</dt>
        <dd>
          <code className="variant-chip control">{env.control ?? '—'}</code>
        </dd>
        <dt>configured</dt>
        <dd data-testid="cohort-configured">
          {split && split.arms.length > 0 ? (
            <span className="split">
              {split.arms.map((a, i) => (
                <span
                  key={a.role}
                  data-testid="configured-arm"
                  data-role={a.role}
                  data-variant={a.variant}
                  data-percent={a.percent}
                >
                  {i > 0 && ', '}
                  <strong>{formatPercent(a.percent)}</strong> on <code>{a.variant}</code>
                </span>
              ))}
            </span>
          ) : (
            <span className="muted">{split?.text ?? '—'}</span>
          )}
        </dd>
      </dl>
      {split && split.arms.length > 0 && (
        <div className="split-bar" aria-hidden="true">
          {split.arms.map((a) => (
            <span key={a.role} className={`split-seg ${a.role}`} style={{ width: `${a.percent}%` }} />
          ))}
        </div>
      )}
      {description && <div className="small muted">{description}</div>}
    </section>
  );
}

/**
 * The SQLite series cache (main/store/series-cache.ts in its own file, series.db, with its real schema and pragmas —
 * seriesPragmas: WAL, synchronous=NORMAL):
 *  - ingest of 1M samples through `write` (one transaction) versus one INSERT per sample without a transaction
 *    (each its own commit — in WAL with synchronous=NORMAL, without an fsync; time-capped, reported as a rate);
 *  - reading one hour of 1-second data out of a 1M-point series versus reading the whole series and filtering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../main/store';
import { seriesQueryKey } from '../main/store/series-cache';
import { latencySeries, median, prng } from './data';
import { figure, sample, type Figure } from './figures';

const SAMPLES = 1_000_000;
const BASELINE_CAP_MS = 3_000;

function freshStore(): { store: ReturnType<typeof openStore>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-sqlite-'));
  return { store: openStore(dir), dir };
}

export async function benchSqlite(log: (s: string) => void): Promise<Figure[]> {
  const series = latencySeries(SAMPLES, 202);
  const from = series.t[0];
  const to = series.t[SAMPLES - 1];
  const key = seriesQueryKey(
    'bench-prometheus',
    'histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[1m]))',
    1000,
  );
  const labels = { service: 'checkout', feature_flag_result_variant: 'on' };

  // Batched: the cache's own write (one transaction of INSERT OR REPLACE), into a fresh database each run.
  let kept: { store: ReturnType<typeof openStore>; dir: string } | null = null;
  const batched = await sample(
    5,
    (i) => {
      const db = freshStore();
      const start = performance.now();
      db.store.series.write(key, [{ labels, t: series.t, v: series.v }], from, to);
      const rate = SAMPLES / ((performance.now() - start) / 1000);
      if (i === 0 && !kept)
        kept = db; // keep one full database for the read figure
      else {
        db.store.close();
        rmSync(db.dir, { recursive: true, force: true });
      }
      return rate;
    },
    0,
  );

  // Naive: the same statement, autocommitted per sample (capped in time; the rate is what matters).
  const perInsert = await sample(
    3,
    () => {
      const db = freshStore();
      const put = db.store.seriesDb.prepare(
        'INSERT OR REPLACE INTO series_points (query_key, labels_key, t, v) VALUES (?, ?, ?, ?)',
      );
      const lk = JSON.stringify(Object.entries(labels).sort());
      const start = performance.now();
      let n = 0;
      while (n < SAMPLES && performance.now() - start < BASELINE_CAP_MS) {
        for (let k = 0; k < 100 && n < SAMPLES; k++, n++) put.run(key, lk, series.t[n], series.v[n]);
      }
      const rate = n / ((performance.now() - start) / 1000);
      db.store.close();
      rmSync(db.dir, { recursive: true, force: true });
      return rate;
    },
    0,
  );
  log(`sqlite ingest: batched ${median(batched).toFixed(0)}/s, per insert ${median(perInsert).toFixed(0)}/s`);

  const full = kept as { store: ReturnType<typeof openStore>; dir: string } | null;
  if (!full) throw new Error('sqlite bench: no database kept for the read figure');
  try {
    const rnd = prng(5);
    const hour = 3_600_000;
    let rows = 0;
    const hourRuns = await sample(
      31,
      () => {
        const at = from + Math.floor(rnd() * ((to - from - hour) / 1000)) * 1000;
        const start = performance.now();
        const got = full.store.series.read(key, at, at + hour);
        const ms = performance.now() - start;
        rows = got[0]?.t.length ?? 0;
        return ms;
      },
      3,
    );
    const readAll = await sample(3, () => {
      const at = from + Math.floor(rnd() * ((to - from - hour) / 1000)) * 1000;
      const start = performance.now();
      const got = full.store.series.read(key, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)[0];
      let n = 0;
      for (let i = 0; i < got.t.length; i++) if (got.t[i] >= at && got.t[i] <= at + hour) n++;
      if (n !== 3601) throw new Error(`sqlite bench: filtered ${n} rows, expected 3601`);
      return performance.now() - start;
    });
    log(
      `sqlite read 1 h: ${median(hourRuns).toFixed(2)} ms (${rows} rows); whole series + filter ${median(readAll).toFixed(0)} ms`,
    );
    return [
      figure({
        id: 'sqlite.ingest',
        name: 'SQLite ingest of 1M samples (series cache write, one transaction)',
        unit: 'samples/s',
        better: 'higher',
        values: batched,
        baseline: {
          name: `one INSERT per sample, no transaction (rate over the first ${BASELINE_CAP_MS / 1000} s)`,
          values: perInsert,
        },
        budget: { text: '≥ 400k samples/s', op: '>=', limit: 400_000, stat: 'median' },
        note: 'Real schema (series_points WITHOUT ROWID, key: 24-char query key, labels key, t) and pragmas (series.db: WAL, synchronous=NORMAL).',
      }),
      figure({
        id: 'sqlite.read-hour',
        name: 'Read 1 h of 1-second data from a 1M-sample series (series cache read)',
        unit: 'ms',
        values: hourRuns,
        baseline: { name: 'read the whole series, filter the hour in JS', values: readAll },
        budget: { text: '≤ 10 ms', op: '<=', limit: 10, stat: 'median' },
        note: `${rows} rows per read, random hours.`,
      }),
    ];
  } finally {
    full.store.close();
    rmSync(full.dir, { recursive: true, force: true });
  }
}

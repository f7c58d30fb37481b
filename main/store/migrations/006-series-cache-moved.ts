import type { Migration } from '../migrations';

/**
 * The series cache moved to its own file (series.db, ../series-database.ts), so the series worker's writes never
 * hold the lock the audit log's intent rows wait on. Its rows here are deleted (an old cache may have been large:
 * its pages go back to the file's free list), but the tables stay: an older Rampart still open on the same data
 * folder, or one a user goes back to, keeps a working (empty) cache instead of failing on a missing table.
 */
export const seriesCacheMoved: Migration = {
  version: 6,
  name: 'series cache moved to series.db',
  sql: `
      DELETE FROM series_points;
      DELETE FROM series_labels;
      DELETE FROM series_coverage;`,
};

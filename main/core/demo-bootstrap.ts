import { demoWorkspace, seedDemoHistory } from '../demo';
import type { Store } from '../store';
import { installDemoPlan } from '../plans/demo-plan';
import { installLifecycleDemo } from '../demo/lifecycle-demo';

/**
 * The embedded default: on first run, a flagd file with the demo flags, a simulated service, their watches and a
 * day of past ramps, and one plan running on the healthy flag. Runs once per data directory; later starts keep whatever the user changed.
 */
export function installDemo(o: { store: Store; dataDir: string; resourcesDir: string; now: () => number }): boolean {
  const { store } = o;
  const ws = demoWorkspace(o.dataDir, o.resourcesDir);
  if (store.records.settings.get('demo.installedAt') === undefined) {
    for (const c of ws.connections) store.records.connections.save(c);
    for (const w of ws.watches) store.records.watches.save(w);
    store.changes.add(seedDemoHistory(o.now(), ws.connections[0].id));
    // One plan running on the healthy flag, on a fresh copy of the flag file (so its 50 % is what the file says).
    const watch = ws.watches.find((w) => w.flagKey === 'search-ranker');
    if (ws.created && watch)
      installDemoPlan(store.db, o.now(), { connectionId: ws.connections[0].id, watchId: watch.id, env: watch.env });
    // One stale flag with its code references in the bundled example sources; no reminders from a demo (issue 14).
    installLifecycleDemo({
      store,
      flagsFile: ws.flagsFile,
      created: ws.created,
      resourcesDir: o.resourcesDir,
      connectionId: ws.connections[0].id,
      now: o.now(),
    });
    store.records.settings.set('demo.installedAt', String(o.now()));
  }
  return store.records.connections.list().some((c) => c.demo === true);
}

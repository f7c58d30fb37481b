import { demoWorkspace, seedDemoHistory } from '../demo';
import type { Store } from '../store';

/**
 * The embedded default: on first run, a flagd file with the demo flags, a simulated service, their watches and a
 * day of past ramps. Runs once per data directory; later starts keep whatever the user changed.
 */
export function installDemo(o: { store: Store; dataDir: string; resourcesDir: string; now: () => number }): boolean {
  const { store } = o;
  const ws = demoWorkspace(o.dataDir, o.resourcesDir);
  if (store.records.settings.get('demo.installedAt') === undefined) {
    for (const c of ws.connections) store.records.connections.save(c);
    for (const w of ws.watches) store.records.watches.save(w);
    store.changes.add(seedDemoHistory(o.now(), ws.connections[0].id));
    store.records.settings.set('demo.installedAt', String(o.now()));
  }
  return store.records.connections.list().some((c) => c.demo === true);
}

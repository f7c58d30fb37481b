import { RampartError } from '../../../shared/errors';
import type { Core } from '../core';
import type { DomainHandlers } from './types';

/**
 * The lifecycle (issue 14). Code references search only the configured source folders, except from the CLI, whose
 * user names a folder on the command line (`rampart flags refs <flag> --repo DIR`): the app's pages cannot make the
 * core read arbitrary folders.
 */
export function lifecycleHandlers(core: Core): DomainHandlers<'lifecycle'> {
  const { lifecycle } = core;
  return {
    'lifecycle:list': async (q) => ({ rows: await lifecycle.list(q), generatedAt: core.now() }),
    'lifecycle:settings': () => lifecycle.settings.get(),
    'lifecycle:saveSettings': (patch) => lifecycle.settings.save(patch),
    'lifecycle:refs': ({ flagKeys, roots }, ctx) => {
      const configured = lifecycle.settings.get().codeRoots;
      if (roots && ctx.door !== 'cli') {
        const unknown = roots.find((r) => !configured.includes(r));
        if (unknown)
          throw new RampartError(
            'bad_request',
            `${unknown} is not one of the configured source folders: add it in Lifecycle first`,
          );
      }
      return lifecycle.codeRefs.refs({ flagKeys, roots: roots ?? configured });
    },
    'lifecycle:versions': (q) => lifecycle.versions.versions(q),
    'lifecycle:restore': (req, ctx) => lifecycle.versions.restore({ ...req, door: ctx.door, user: core.info.user }),
    'lifecycle:promotePreview': (q) => lifecycle.promote.preview(q),
    'lifecycle:promote': (req, ctx) => lifecycle.promote.promote({ ...req, door: ctx.door, user: core.info.user }),
  };
}

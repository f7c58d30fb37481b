import type { Core } from '../core';
import type { CallContext } from '../handler-types';
import type { DomainHandlers } from './types';

/** The person acting through a door; the runner acts as `autopilot` through the door 'plan' (main/plans). */
const actor = (core: Core, ctx: CallContext) => ({ user: core.info.user, door: ctx.door });

export function planHandlers(core: Core): DomainHandlers<'plans'> {
  const plans = core.plans.service;
  return {
    'plans:list': ({ states, ...q }) => plans.list(q).filter((p) => !states || states.includes(p.state)),
    'plans:get': ({ planId }) => plans.get(planId),
    'plans:forFlag': ({ connectionId, flagKey, env }) => ({ plan: plans.forFlag(connectionId, flagKey, env) }),
    'plans:start': (req, ctx) => plans.start(req, actor(core, ctx)),
    'plans:pause': ({ planId, comment }, ctx) => plans.pause(planId, comment, actor(core, ctx)),
    'plans:resume': ({ planId, comment }, ctx) => plans.resume(planId, comment, actor(core, ctx)),
    'plans:approve': ({ planId, comment }, ctx) => plans.approve(planId, comment, actor(core, ctx)),
    'plans:abort': ({ planId, comment }, ctx) => plans.abort(planId, comment, actor(core, ctx)),
    'plans:events': ({ planId }) => plans.events(planId),
    'plans:export': ({ planId, format }) => plans.export(planId, format),
    'plans:bands': (q) => plans.bands(q),
    'plans:policies': () => plans.policies.list(),
    'plans:savePolicy': (p) => plans.policies.save(p),
    'plans:removePolicy': ({ name }) => plans.policies.remove(name),
  };
}

import { describeFlagStore } from './flag-store-suite';
import { FLAGD_TRAITS, flagdFixture } from './fixtures/flagd';
import { flagsmithFixture, flagsmithTraits } from './fixtures/flagsmith';
import { GROWTHBOOK_TRAITS, growthBookFixture } from './fixtures/growthbook';
import { launchDarklyFixture, LD_TRAITS } from './fixtures/launchdarkly';

/**
 * The FlagStore conformance suite (issue 13) against every adapter whose vendor runs here as a real file or a
 * documented-shape fake server. The real Unleash 6.10.1 runs in test/components/conformance (e2e project).
 */
describeFlagStore('flagd (a real flag file, judged by flagd-core)', flagdFixture, { traits: FLAGD_TRAITS });
describeFlagStore('LaunchDarkly (documented-shape fake)', launchDarklyFixture, { traits: LD_TRAITS });
describeFlagStore('Flagsmith, v1 environments (documented-shape fake)', () => flagsmithFixture(false), {
  traits: flagsmithTraits(false),
});
describeFlagStore('Flagsmith, v2 feature versioning (documented-shape fake)', () => flagsmithFixture(true), {
  traits: flagsmithTraits(true),
});
describeFlagStore('GrowthBook (documented-shape fake)', growthBookFixture, { traits: GROWTHBOOK_TRAITS });

import { flags, type Visitor } from '../flags';
import { legacySteps, newSteps, type Step } from './steps';

/** The steps a new account walks through. */
export async function onboardingSteps(visitor: Visitor): Promise<Step[]> {
  // Rolled out to everyone; the legacy branch is dead code once the flag is archived.
  const useNewFlow = await flags.getBooleanValue('onboarding-v2', false, visitor);
  if (useNewFlow) {
    return newSteps();
  }
  return legacySteps();
}

import { flags, type Visitor } from '../flags';

export async function welcomeTemplate(visitor: Visitor): Promise<string> {
  const variant = (await flags.getBooleanValue('onboarding-v2', false, visitor)) ? 'welcome-v2' : 'welcome';
  return `emails/${variant}.html`;
}

import { flags, type Visitor } from '../flags';

export async function theme(visitor: Visitor): Promise<'dark' | 'light'> {
  return (await flags.getBooleanValue('dark-mode', false, visitor)) ? 'dark' : 'light';
}

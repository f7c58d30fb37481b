import { flags, type Visitor } from '../flags';

export async function ranker(visitor: Visitor): Promise<string> {
  return flags.getStringValue('search-ranker', 'classic', visitor);
}

import { flags, type Visitor } from '../flags';

export async function checkoutPage(visitor: Visitor): Promise<'single-page' | 'classic'> {
  // Canary: the new single-page checkout calls the new payment service.
  return (await flags.getBooleanValue('checkout-v2', false, visitor)) ? 'single-page' : 'classic';
}

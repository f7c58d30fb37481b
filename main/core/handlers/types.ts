import type { Channel } from '../../../shared/contract/requests';
import type { Handlers } from '../handler-types';

/** The handlers of one domain: every channel named `<domain>:…`. createHandlers checks the union is complete. */
export type DomainHandlers<D extends string> = Pick<Handlers, Extract<Channel, `${D}:${string}`>>;

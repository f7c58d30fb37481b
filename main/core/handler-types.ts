import type { Channel, ParsedRequestOf, ResponseOf } from '../../shared/contract/requests';

/** Which door a call came through; audited with every action. */
export type Door = 'electron' | 'http' | 'cli';

export interface CallContext {
  door: Door;
}

export type Handler<C extends Channel> = (
  input: ParsedRequestOf<C>,
  ctx: CallContext,
) => Promise<ResponseOf<C>> | ResponseOf<C>;
/** One handler per contract channel; the registrar refuses to start when one is missing. */
export type Handlers = { [C in Channel]: Handler<C> };

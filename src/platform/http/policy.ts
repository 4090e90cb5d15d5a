import type { ClientScope, Role } from '../actor.js';

/**
 * Who may call a route. Every route under /api declares one; the server refuses to start with a
 * route that does not. Fine-grained checks (own department, entry state) happen in services.
 */
export type RoutePolicy =
  | { public: true } // anyone, signed in or not
  | { signedIn: true } // any signed-in person (never an API client)
  // A signed-in person holding one of these roles; API clients only when `clients` names a scope they hold.
  | { roles: readonly Role[]; clients?: { scope: ClientScope } };

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
}

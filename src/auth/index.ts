// Public to the rest of src: caller authentication and authorization (DESIGN.md §7a). `createAuthenticator` turns a
// request's Authorization header into a `Caller`; `requireScope` and `allowsOrg` decide what that caller may do.
// The errors are coded GraphQL errors that formatError passes to the client as they are.

export {
  createAuthenticator,
  DEFAULT_CLOCK_TOLERANCE_S,
  JWKS_ALGORITHMS,
  JWKS_DEFAULTS,
  MIN_SECRET_BYTES,
  SECRET_ALGORITHMS,
  type Authenticator,
  type AuthenticatorOptions,
  type AuthenticatorOverrides,
  type JwtAuthOptions,
} from './authenticator.js';
export { DEFAULT_CLAIM_NAMES, type ClaimNames } from './claims.js';
export { AuthenticationError, ForbiddenError, type AuthenticationFailure } from './errors.js';
export { allowsOrg, effectiveScopes, hasScope, isScope, LOCAL_CALLER, requireScope, SCOPES, type Caller, type Scope } from './scopes.js';

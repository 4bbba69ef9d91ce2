// Internal to src/emulator: the seam between the HTTP shell (server, router, validation, rate limit, faults, call
// log, admin route) and the domain (state, membership engine, tokens, handlers, seeds). The shell owns everything
// about bytes on the wire; the domain owns everything about ThoughtSpot's behaviour. A handler never sees an HTTP
// object, so it can be called from a unit test with a plain context.

/** ThoughtSpot's numeric error codes as they appear in error envelopes (CONTRACT.md §6.2). */
export const VendorCode = {
  /** Generic / internal failure. */
  INTERNAL: 10000,
  /** Invalid request or parameter (validation, unknown identifiers, duplicates, expired token on validate). */
  INVALID_REQUEST: 10002,
  /** Forbidden / access denied / feature disabled. */
  FORBIDDEN: 10023,
  /** "Unexpected server error" in the spec's 500 examples. */
  UNEXPECTED: 10038,
  /** Authentication required or invalid credentials. */
  UNAUTHENTICATED: 10097,
} as const;
export type VendorCode = (typeof VendorCode)[keyof typeof VendorCode];

/**
 * A failure a handler (or the shell) reports to the caller. The shell turns it into the vendor's error envelope
 * (shape B by default, shape A when `fidelity.errorShape` is 'A') with this status.
 */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
  constructor(
    /** HTTP status to answer with (400, 401, 403, 404, 415, 429, 500…). */
    readonly status: number,
    /** Vendor code placed in the envelope. */
    readonly code: VendorCode,
    /** The human-readable `debug` text of the envelope. */
    message: string,
  ) {
    super(message);
  }
}

/** Shorthand for the most common failure: 400 / 10002 with a message naming what was wrong. */
export function badRequest(message: string): EmulatorError {
  return new EmulatorError(400, VendorCode.INVALID_REQUEST, message);
}

/** 403 / 10023, used for missing privileges and disabled features. */
export function forbidden(message: string): EmulatorError {
  return new EmulatorError(403, VendorCode.FORBIDDEN, message);
}

/** 401 / 10097. */
export function unauthenticated(message: string): EmulatorError {
  return new EmulatorError(401, VendorCode.UNAUTHENTICATED, message);
}

/** The caller behind a valid bearer token. Every v2 call runs in exactly one Org: the token's (CONTRACT.md §3). */
export interface Principal {
  /** GUID of the user the token was minted for. */
  readonly userId: string;
  /** The token's Org (`scope.org_id`). */
  readonly orgId: number;
  /** `FULL` for token/full and session tokens, `REPORT_BOOK_VIEW` for token/object. */
  readonly accessType: 'FULL' | 'REPORT_BOOK_VIEW';
  /** The bearer token string itself (handlers need it for session/token and revoke). */
  readonly token: string;
}

/**
 * Behaviour switches. Each one is a place where the sources disagree or are silent (CONTRACT.md §16) or a
 * cluster feature flag (§15, last bullet). Defaults are the contract's suggested defaults; the README's
 * "Emulator fidelity" section lists them.
 */
export interface Fidelity {
  /** Error envelope shape: 'B' (nested, what live clusters return) or 'A' (spec examples). Default 'B'. */
  errorShape: 'A' | 'B';
  /** Q1: when both password and secret_key are sent, which one is checked. Default 'secret_key'. */
  credentialPrecedence: 'secret_key' | 'password';
  /** Trusted authentication (secret keys). Default true. */
  trustedAuth: boolean;
  /** The cluster's trusted-authentication secret key. */
  secretKey: string;
  /** Orgs feature. When false, orgs/* fail and org_id is ignored. Default true. */
  orgsEnabled: boolean;
  /** RBAC feature. When false, roles/* fail with 403. Default true. */
  rbacEnabled: boolean;
  /** Q15: answer permission failures with 500 (the live quirk) instead of 403. Default false. */
  permissionErrorsAs500: boolean;
  /** Q6: usernames match case-insensitively after an exact match fails. Default true. */
  caseInsensitiveUsernames: boolean;
  /** Q5: largest accepted record_size (-1 always means "all"). Default Infinity. */
  maxRecordSize: number;
  /** Q16: shortest accepted password. Default 1 (non-empty). */
  minPasswordLength: number;
  /** Default token validity when validity_time_in_sec is omitted. Default 300. */
  defaultTokenValiditySec: number;
  /** Q20: largest accepted validity_time_in_sec. Default 31_536_000 (one year). */
  maxTokenValiditySec: number;
  /** Q10: include the implicit `All` group in user_groups / user_inherited_groups. Default false. */
  listAllGroup: boolean;
  /** Q17: groups/search with a Primary-Org token returns the groups of every Org. Default true. */
  primaryGroupSearchSpansOrgs: boolean;
  /** Q7: revoke(user_identifier) and force-logout invalidate every bearer token of the user. Default true. */
  logoutRevokesTokens: boolean;
  /** Validity of the activation link minted by users/deactivate, in days. Default 14. */
  activationLinkValidityDays: number;
}

/** Knobs of the documented rate limiter (CONTRACT.md §7). */
export interface RateLimitOptions {
  /** Default true. Tests that hammer the emulator usually turn it off. */
  enabled: boolean;
  /** Sustained requests per second per client IP. Default 100. */
  requestsPerSecond: number;
  /** Extra requests allowed in a burst. Default 10. */
  burst: number;
  /** Q9: send a Retry-After header with 429s. Default false (ThoughtSpot documents none). */
  retryAfterHeader: boolean;
}

/** An injected clock, so tests can move time (token expiry) without waiting. Milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** What a handler gets. Everything has been validated against contract.json before the handler runs. */
export interface HandlerContext<State = unknown> {
  /** Contract endpoint id, e.g. `POST /api/rest/2.0/users/{user_identifier}/update`. */
  readonly endpoint: string;
  /** The JSON body (an object; `{}` for GET endpoints). Unknown fields are still present: ignore them. */
  readonly body: Record<string, unknown>;
  /** Path parameters, URL-decoded, e.g. `{ user_identifier: 'alice' }`. */
  readonly params: Readonly<Record<string, string>>;
  /** The authenticated caller; null only on endpoints whose contract `auth` is `none` (token minting). */
  readonly principal: Principal | null;
  /** The emulator's domain state. */
  readonly state: State;
  readonly fidelity: Readonly<Fidelity>;
  readonly clock: Clock;
  /** The emulator's own base URL (`http://127.0.0.1:PORT`), e.g. for activation links. */
  readonly baseUrl: string;
}

/**
 * Extra response headers. A list sends the header once per value, which `Set-Cookie` needs: cookies cannot share
 * one header line (RFC 6265 §3).
 */
export type ResponseHeaders = Readonly<Record<string, string | readonly string[]>>;

/** A handler's answer. 204 answers have no body. `headers` is for the rare extra header (Set-Cookie on login). */
export type HandlerResult =
  | { readonly status: 200; readonly body: unknown; readonly headers?: ResponseHeaders }
  | { readonly status: 204; readonly headers?: ResponseHeaders };

export type Handler<State = unknown> = (ctx: HandlerContext<State>) => HandlerResult | Promise<HandlerResult>;

/** What the shell found on a request to authenticate it with: a bearer token and/or a `JSESSIONID` cookie. */
export interface Credentials {
  readonly bearer?: string;
  readonly sessionId?: string;
}

/** Which seed to load. `demo`: a believable embedded-analytics customer base; `minimal`: only the well-known
 * principals of a fresh cluster; `large`: a generated directory of `users` users for benchmarks. */
export type SeedSpec = 'demo' | 'minimal' | { readonly large: { readonly users: number } };

/** The part of the domain state the shell relies on. The domain's `createState` returns a richer object. */
export interface DomainState {
  /** The caller behind these credentials, or null when they are missing, malformed, expired or revoked. */
  authenticate(credentials: Credentials): Principal | null;
  /** The seeded cluster administrator: what the CLI prints and what tests log in with. */
  readonly adminCredentials: { readonly username: string; readonly password: string };
}

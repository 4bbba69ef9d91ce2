// Internal to src/thoughtspot: the one place that strips credentials from anything the adapter stores or logs.
// Everything that leaves the adapter as text (error messages, causes, log fields) passes through here first, so a
// leaked token can only come from a path that skipped this module (octokit request-error's redaction, house-style §6
// rule 3).

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not searched for verbatim: replacing every "abc" would wreck messages. */
const MIN_SECRET_LENGTH = 4;

/**
 * How many minted tokens the registry remembers; older ones fall out first. Pinned secrets (the service credentials,
 * a call's own secrets) are not counted and never fall out.
 */
const REGISTRY_CAPACITY = 512;

/** How deep `redactValue` walks into nested log fields before it gives up and writes a placeholder. */
const MAX_DEPTH = 8;

// Field names whose value is a credential whatever it looks like. Compared after lower-casing and dropping `-` and
// `_`, so `secret_key`, `secretKey` and `Secret-Key` are one entry.
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'secretkey',
  'password',
  'newpassword',
  'currentpassword',
  'defaultpassword',
  'token',
  'authtoken',
  'accesstoken',
  'refreshtoken',
  'activationlink',
  'bearer',
]);

const SENSITIVE_WIRE_FIELDS =
  'secret_key|password|new_password|current_password|default_password|token|auth_token|access_token|refresh_token|activation_link';

// `Bearer <credential>` in headers, messages and stack traces. Token characters per RFC 6750 (b64token) plus `:` and
// `%` for URL-encoded or `user:opaque` forms.
const BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/=:%]+/gi;
// `"password":"…"` in plain JSON; the value may contain escaped characters.
const JSON_FIELD = new RegExp(`("(?:${SENSITIVE_WIRE_FIELDS})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
// `\"password\":\"…\"` in JSON that was itself embedded in a JSON string (ThoughtSpot's shape B `debug` text).
const ESCAPED_JSON_FIELD = new RegExp(`(\\\\"(?:${SENSITIVE_WIRE_FIELDS})\\\\"\\s*:\\s*)\\\\"(?:(?!\\\\")[\\s\\S])*\\\\"`, 'gi');
// `password=…` in query strings, form bodies and activation links.
const QUERY_FIELD = new RegExp(`\\b(${SENSITIVE_WIRE_FIELDS})=[^&\\s"'<>]+`, 'gi');

/**
 * The credentials the adapter knows to be live: the service secret or password, and every token it minted. Any
 * verbatim occurrence of one of them is redacted, whatever surrounds it.
 *
 * Two tiers, because they differ in how long they matter. The configured credentials are `pin`ned: they are live for
 * the client's whole life, so they are never evicted. Minted tokens are `add`ed to a bounded FIFO: a long-running
 * client mints without end, and a token old enough to fall out has long expired. With a single FIFO the credentials,
 * registered first, were the first to fall out once 512 tokens had been minted.
 */
export class SecretRegistry {
  private readonly pinned = new Set<string>();
  /** Evictable secrets in insertion order (a Map keeps it), oldest first. */
  private readonly secrets = new Map<string, true>();
  private sorted: string[] | null = null;

  /** Remember a secret for as long as the registry lives (ignored when shorter than the minimum length). */
  pin(secret: string | undefined | null): void {
    for (const form of searchForms(secret)) {
      this.pinned.add(form);
      this.secrets.delete(form);
    }
    this.sorted = null;
  }

  /** Remember a minted token or other short-lived secret; the oldest fall out beyond the capacity. */
  add(secret: string | undefined | null): void {
    const forms = searchForms(secret);
    if (forms.length === 0 || forms.every((form) => this.pinned.has(form) || this.secrets.has(form))) return;
    for (const form of forms) if (!this.pinned.has(form)) this.secrets.set(form, true);
    while (this.secrets.size > REGISTRY_CAPACITY) {
      const oldest = this.secrets.keys().next().value;
      if (oldest === undefined) break;
      this.secrets.delete(oldest);
    }
    this.sorted = null;
  }

  /** Longest first, so a token that contains a shorter secret is replaced whole. */
  list(): readonly string[] {
    if (this.sorted === null) this.sorted = [...this.pinned, ...this.secrets.keys()].sort((a, b) => b.length - a.length);
    return this.sorted;
  }

  /**
   * A registry holding this one's secrets plus `extra` (per-call secrets such as a new user's password). The extras
   * are pinned in the copy: the copy lives for one call, and nothing minted meanwhile may push them out.
   */
  with(extra: readonly (string | undefined)[]): SecretRegistry {
    const copy = new SecretRegistry();
    for (const secret of this.pinned) copy.pinned.add(secret);
    for (const secret of this.secrets.keys()) copy.secrets.set(secret, true);
    for (const secret of extra) copy.pin(secret);
    return copy;
  }
}

/**
 * The forms of a secret to search for: itself and, when it holds quotes or backslashes, its JSON-escaped form, which
 * is what a message quoting the request body shows. None when the secret is too short to search for.
 */
function searchForms(secret: string | undefined | null): string[] {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return [];
  const escaped = JSON.stringify(secret).slice(1, -1);
  return escaped === secret ? [secret] : [secret, escaped];
}

/** Redact credentials from free text: bearer strings, credential fields in JSON and query strings, known secrets. */
export function redactText(text: string, registry?: SecretRegistry): string {
  let out = text;
  if (registry !== undefined) {
    for (const secret of registry.list()) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
  }
  return out
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(JSON_FIELD, `$1"${REDACTED}"`)
    .replace(ESCAPED_JSON_FIELD, `$1\\"${REDACTED}\\"`)
    .replace(QUERY_FIELD, `$1=${REDACTED}`);
}

function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/**
 * A redacted deep copy of a log field or any other value: credential-named keys are replaced whole, strings are
 * passed through `redactText`, errors become `{ name, code, message }`. The input is never mutated.
 */
export function redactValue(value: unknown, registry?: SecretRegistry): unknown {
  return redactInner(value, registry, 0, new WeakSet());
}

function redactInner(value: unknown, registry: SecretRegistry | undefined, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, registry);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactText(value.message, registry) };
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out['code'] = code;
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => redactInner(item, registry, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) ? REDACTED : redactInner(item, registry, depth + 1, seen);
  }
  return out;
}

/**
 * A credential-free copy of a thrown value, fit to be stored as an adapter error's `cause`: same name, code,
 * message and stack, each redacted, and the same treatment for its own cause chain. Undici errors can carry
 * sockets and request objects; none of that is copied.
 */
export function sanitizeCause(value: unknown, registry?: SecretRegistry, depth = 0): Error {
  if (!(value instanceof Error)) {
    return new Error(redactText(typeof value === 'string' ? value : safeString(value), registry));
  }
  const copy = new Error(redactText(value.message, registry));
  copy.name = value.name;
  if (value.stack !== undefined) copy.stack = redactText(value.stack, registry);
  const code = (value as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') (copy as Error & { code?: unknown }).code = code;
  if (value.cause !== undefined && depth < 3) copy.cause = sanitizeCause(value.cause, registry, depth + 1);
  return copy;
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

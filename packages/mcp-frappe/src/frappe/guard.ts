import { ToolError } from '@org/mcp-core';

/**
 * The framework's security DocTypes, refused unless FRAPPE_DOCTYPES_ALLOW names one exactly:
 * users and their roles, permission rules, sharing, API and OAuth credentials, the system
 * settings, and the DocTypes that run code on the server.
 */
export const DEFAULT_DENIED_DOCTYPES: readonly string[] = [
  'User',
  'Role',
  'Role Profile',
  'Has Role',
  'Custom Role',
  'Module Profile',
  'User Type',
  'User Group',
  'User Permission',
  'DocPerm',
  'Custom DocPerm',
  'DocShare',
  'Role Permission for Page and Report',
  'OAuth Client',
  'OAuth Bearer Token',
  'OAuth Authorization Code',
  'OAuth Provider Settings',
  'Social Login Key',
  'Connected App',
  'Token Cache',
  'LDAP Settings',
  'System Settings',
  'Server Script',
  'System Console',
  'Scheduled Job Type',
];

/** DocType names compare as MariaDB compares them: case-insensitive, spaces collapsed. */
const canonical = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

function globToRegExp(glob: string): RegExp {
  const body = canonical(glob)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** Decides which DocTypes the tools may touch (FRAPPE_DOCTYPES_ALLOW / FRAPPE_DOCTYPES_DENY). */
export class DoctypeGuard {
  private readonly allow: RegExp[] | undefined;
  private readonly allowExact: Set<string>;
  private readonly deny: RegExp[];
  private readonly defaultDenied: Set<string>;

  constructor(allow: readonly string[] | undefined, deny: readonly string[] | undefined) {
    this.allow = allow && allow.length > 0 ? allow.map(globToRegExp) : undefined;
    this.allowExact = new Set((allow ?? []).filter((a) => !a.includes('*')).map(canonical));
    this.deny = (deny ?? []).map(globToRegExp);
    this.defaultDenied = new Set(DEFAULT_DENIED_DOCTYPES.map(canonical));
  }

  /** Why `doctype` is refused, or undefined when it may be used. Pure, no request. */
  refusal(doctype: string): string | undefined {
    const name = canonical(doctype);
    if (this.deny.some((re) => re.test(name))) return 'it is in FRAPPE_DOCTYPES_DENY';
    if (this.defaultDenied.has(name) && !this.allowExact.has(name)) {
      return 'it is a security DocType, denied by default (name it in FRAPPE_DOCTYPES_ALLOW to opt in)';
    }
    if (this.allow && !this.allow.some((re) => re.test(name))) return 'it is not in FRAPPE_DOCTYPES_ALLOW';
    return undefined;
  }

  /** Throws `forbidden` when `doctype` is refused; call before any request about it. */
  assert(doctype: string): void {
    const why = this.refusal(doctype);
    if (why) {
      throw new ToolError('forbidden', `DocType "${doctype}" is refused by this server: ${why}`, {
        hint: 'The server operator decides which DocTypes are reachable (FRAPPE_DOCTYPES_ALLOW / FRAPPE_DOCTYPES_DENY).',
      });
    }
  }
}

/** A method glob: `*` stands for any run of characters, dots included (myapp.api.* allows the module and below). */
function methodGlob(glob: string): RegExp {
  const body = glob
    .trim()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** Decides which whitelisted methods frappe_call_method may call (FRAPPE_METHODS_ALLOW; none by default). */
export class MethodGuard {
  private readonly patterns: RegExp[];

  constructor(allow: readonly string[] | undefined) {
    this.patterns = (allow ?? []).filter((m) => m.trim() !== '').map(methodGlob);
  }

  /** True when `method` (a dotted path) matches an entry: exactly, or through its `*` globs. */
  allows(method: string): boolean {
    return this.patterns.some((re) => re.test(method));
  }

  /** Throws `forbidden` when `method` is not allowed; call before any request. */
  assert(method: string): void {
    if (this.allows(method)) return;
    throw new ToolError('forbidden', `Method "${method}" is not in FRAPPE_METHODS_ALLOW`, {
      hint:
        this.patterns.length === 0
          ? 'No method is allowed on this server: the operator lists callable methods in FRAPPE_METHODS_ALLOW.'
          : 'Only the methods the operator listed in FRAPPE_METHODS_ALLOW can be called.',
    });
  }
}

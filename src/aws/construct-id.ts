/**
 * Construct ids derived from plan names, so a resource's logical id stays the same for as long as its
 * name does (renaming a thing in the spec replaces it; reordering the spec never does).
 */

/**
 * `servers/ai-vllm` → `ServersAiVllm`, `public-a` → `PublicA`, `ecr.api` → `EcrApi`.
 *
 * Plan names are lower-case, so upper-casing the letter after a separator keeps distinct names
 * distinct; a separator before a digit is kept (`a-1` → `A-1`) because `a-1` and `a1` both exist.
 */
export function constructIdOf(name: string): string {
  return name.replace(/(^|[./-])([a-z])/g, (_match, _separator: string, letter: string) => letter.toUpperCase()).replace(/[./]/g, '-');
}

/** `10.0.3.0/24` → `10-0-3-0-24`: construct ids may not contain `/`. */
export function cidrId(cidr: string): string {
  return cidr.replace(/[./]/g, '-');
}

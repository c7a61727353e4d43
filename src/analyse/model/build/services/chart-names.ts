/** Helm's conventional `fullname` helper, which most charts copy from `helm create`. */
export function helmFullname(release: string, name: string, override: unknown, max = 63): string {
  const cut = (s: string) => s.slice(0, max).replace(/-+$/, '');
  if (typeof override === 'string' && override !== '') return cut(override);
  return cut(release.includes(name) ? release : `${release}-${name}`);
}

/** Why `value` cannot be a Kubernetes label value, or null when it can. */
export function labelValueProblem(value: string): string | null {
  if (value.length > 63) return 'at most 63 characters';
  if (!/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value)) return 'letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return null;
}

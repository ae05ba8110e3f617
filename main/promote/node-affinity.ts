/**
 * The part of a pod's required node affinity the scheduler checks against node labels and
 * names: `nodeSelectorTerms` are ORed, the expressions and fields inside a term ANDed.
 */
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** The required terms of a pod spec; an empty list means "no node affinity required". */
export function requiredNodeAffinity(spec: Record<string, any>): NodeSelectorTerm[] {
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return Array.isArray(terms) ? terms.filter((t): t is NodeSelectorTerm => typeof t === 'object' && t !== null) : [];
}

function matchesRequirement(requirement: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      // Both sides must be integers; anything else matches nothing, as in the scheduler.
      const have = Number(value);
      const want = Number(values[0]);
      if (value === undefined || values.length !== 1 || !Number.isInteger(have) || !Number.isInteger(want)) return false;
      return requirement.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/**
 * Whether a node with these labels and this name satisfies the terms. No terms: any node. A term
 * with neither expressions nor fields matches no node (the API's rule). `matchFields` knows
 * only `metadata.name`, the one field the API allows there.
 */
export function matchesNodeAffinity(terms: NodeSelectorTerm[], node: { name: string; labels: Record<string, string> }): boolean {
  if (terms.length === 0) return true;
  return terms.some((term) => {
    const expressions = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (expressions.length === 0 && fields.length === 0) return false;
    return (
      expressions.every((e) => matchesRequirement(e, node.labels[e.key])) &&
      fields.every((f) => matchesRequirement(f, f.key === 'metadata.name' ? node.name : undefined))
    );
  });
}

/** The terms as a person reads them: `zone In (a, b) or gpu Exists`. */
export function describeNodeAffinity(terms: NodeSelectorTerm[]): string {
  return terms
    .map((term) =>
      [...(term.matchExpressions ?? []), ...(term.matchFields ?? [])]
        .map((e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(', ')})` : ''}`)
        .join(' and '),
    )
    .join(' or ');
}

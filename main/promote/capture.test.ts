import { describe, expect, it } from 'vitest';
import { builtinKind } from '../kube/resources/builtin';
import { CAPTURED_KINDS } from './capture';

describe('capture', () => {
  it('reads only built-in kinds the resource table knows (no discovery round trip for them)', () => {
    for (const k of CAPTURED_KINDS) expect(builtinKind(k.apiVersion, k.kind), `${k.apiVersion} ${k.kind}`).toBeDefined();
  });
});
